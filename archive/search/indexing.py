"""The one way articles reach the search index: after the transaction that wrote them commits.

The database is the source of truth: if indexing fails, the articles are safe and ``rebuild_index`` restores the
index from them.
"""

import logging
import threading

from django.db import transaction
from haystack import connections

from archive.models import Article

log = logging.getLogger(__name__)
# One writer at a time in this process: Whoosh allows a single writer per index.
_write_lock = threading.Lock()


def index_after_commit(article_ids: list[int]) -> None:
    """Queue articles for (re)indexing once the surrounding transaction commits."""
    if article_ids:
        transaction.on_commit(lambda: index_articles(list(article_ids)))


def index_articles(article_ids: list[int]) -> None:
    index = connections["default"].get_unified_index().get_index(Article)
    articles = list(index.index_queryset().filter(pk__in=article_ids))
    with _write_lock:
        index._get_backend("default").update(index, articles)


def unindex_article(article: Article) -> None:
    index = connections["default"].get_unified_index().get_index(Article)
    with _write_lock:
        index._get_backend("default").remove(article)


def indexed_count() -> int:
    from haystack.query import SearchQuerySet

    return SearchQuerySet().models(Article).count()
