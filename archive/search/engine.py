"""The one way the archive asks its search engine for something other than a search.

Searches go through haystack's ``SearchQuerySet`` (``archive.search.run``), which every engine answers. Writing,
rebuilding, checking and health come here, and only here is it decided what the configured engine can do: the
archive's own Whoosh engine (``archive.search.whoosh``) offers more than haystack's interface, another haystack engine
(Elasticsearch, OpenSearch, Solr; ``ARCHIVE_SEARCH_ENGINE``) gets haystack's calls:

=====================  ==========================================================  =================================
asked                  archive.search.whoosh                                       another haystack engine
=====================  ==========================================================  =================================
``write_articles``     one commit: added, replaced and removed together, under     ``update()``, then ``remove()``
                       the cross-process writer lock                               per id (the server takes
                                                                                   concurrent writes itself)
``rebuild``            a new generation built beside the live index and swapped    ``clear(models=[Article])``, then
                       in atomically: searches never see it partial                ``update()`` batch by batch:
                                                                                   searches see it fill up
``is_available``       whether the index folder holds a readable index             always True (a server that is
                                                                                   down raises on the search)
``clear``              an empty index in place of the folder                       haystack's ``clear()``
``prefix_words_read``  how many words a prefix with more than 64 is read as       None: read whole
spelling suggestions   from the open index, no search run                          haystack's: a search run for it
``stored_documents``   every stored field: ``index_check`` finds stale documents   ids only: missing and extra
                                                                                   documents, never stale ones
searching              facet counts from the catalog's bitsets, date listings      the engine's own facets and sort,
                       without scoring, our snippets and spelling suggestions      highlighting and spelling
=====================  ==========================================================  =================================
"""

from collections.abc import Callable, Iterable, Iterator

from haystack import connections
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.utils import get_identifier

from archive.models import Article
from archive.search.whoosh import ArchiveWhooshBackend

ARTICLE_CT = f"{Article._meta.app_label}.{Article._meta.model_name}"


def indexable_articles():
    """What the index must hold (``ArticleIndex.index_queryset()``): no withdrawn or merged articles."""
    return _article_index().index_queryset()


def is_available() -> bool:
    """Whether searches can be answered; False only when the archive's own index folder is missing or unreadable."""
    backend = _backend()
    return backend.is_available() if isinstance(backend, ArchiveWhooshBackend) else True


def needs_rebuild() -> bool:
    """Whether the index's terms were made by an older analysis than this code's (only the archive's own engine
    keeps that version; another engine's analysis is its server's configuration)."""
    backend = _backend()
    return isinstance(backend, ArchiveWhooshBackend) and backend.shared.needs_rebuild()


def word_terms(word: str) -> tuple[str, ...]:
    """The terms the engine reads a word as (``smuggling`` -> ``smuggl``); another engine's analysis is its server's,
    so there the word is only lowercased."""
    backend = _backend()
    return backend.word_terms(word) if isinstance(backend, ArchiveWhooshBackend) else (word.lower(),)


def common_words(words: list[str], share: float) -> set[str]:
    """The words found in more than ``share`` of the documents (the archive's own engine counts them; another
    engine's partial matches keep every word)."""
    backend = _backend()
    if not isinstance(backend, ArchiveWhooshBackend) or not words:
        return set()
    return {word for word, found in backend.document_shares(words).items() if found > share}


def contents_version() -> str | None:
    """A name for what the index holds now, the same in every server process; None for another engine (nothing is
    then kept from one request for the next)."""
    backend = _backend()
    return backend.contents_version() if isinstance(backend, ArchiveWhooshBackend) else None


def warm_words() -> int:
    """Read for the index's current contents what the searches before a change read last (the archive's own engine;
    another warms its caches in its server); how many words were read."""
    backend = _backend()
    return backend.warm_words() if isinstance(backend, ArchiveWhooshBackend) else 0


def cache_sizes() -> dict[str, tuple[int, int]]:
    """Every cache a query can grow in this process, name -> (entries now, most entries it keeps): the engine's
    (the archive's own engine; another keeps its caches in its server) and the query words' caches of this side."""
    from archive.highlight import _stem
    from archive.ingest.gazetteer import _rows
    from archive.search.matches import _pattern

    backend = _backend()
    sizes = backend.cache_sizes() if isinstance(backend, ArchiveWhooshBackend) else {}
    for name, cached in (("highlight: terms of a word", _stem), ("matches: pattern of a name", _pattern),
                         ("gazetteer: rows of places and people", _rows)):
        info = cached.cache_info()
        sizes[name] = (info.currsize, info.maxsize)
    return sizes


def spelling_suggestion(text: str) -> str:
    """The text with its rare words replaced by close common ones, or "" (the archive's own engine asks its open
    index directly; another engine answers through haystack, which runs a search for it)."""
    backend = _backend()
    if isinstance(backend, ArchiveWhooshBackend):
        return backend.spelling_suggestion(text) or ""
    from haystack.query import SearchQuerySet

    sqs = SearchQuerySet().models(Article)
    sqs.query.set_limits(0, 1)
    return sqs.spelling_suggestion(text) or ""


def indexed_count() -> int:
    """Documents in the index; raises IndexUnavailable if it is missing or unreadable."""
    from haystack.query import SearchQuerySet

    return SearchQuerySet().models(Article).count()


def prefix_words_read(prefix: str, field: str = "") -> int | None:
    """How many words a prefix (``s`` of ``s*``) is read as when the engine reads only its most frequent ones, in an
    index field or, with none, in the fields a word without a field is looked for in; None when it is read whole (as
    another engine reads it)."""
    backend = _backend()
    return backend.prefix_words_read(prefix, field or None) if isinstance(backend, ArchiveWhooshBackend) else None


def write_articles(article_ids: list[int]) -> None:
    """Make the index hold exactly what ``indexable_articles()`` says for these ids: their documents written, ids
    not indexable (deleted, withdrawn, merged) removed. Raises IndexUnavailable if the index is missing or
    unreadable, IndexWriteLost if a write lost documents."""
    index, backend = _article_index(), _backend()
    articles = list(index.index_queryset().filter(pk__in=article_ids))
    if not isinstance(backend, ArchiveWhooshBackend):
        if articles:
            backend.update(index, articles)
        found = {article.pk for article in articles}
        for pk in article_ids:
            if pk not in found:
                backend.remove(_identifier(pk))
        return
    documents = backend.prepare_documents(index, articles)
    written = {document[ID] for document in documents}
    removed = tuple(identifier for identifier in map(_identifier, article_ids) if identifier not in written)
    backend.write(documents, removed)


def segment_count() -> int | None:
    """The segments the index is in now (the archive's own engine; None for another)."""
    backend = _backend()
    return backend.segment_count() if isinstance(backend, ArchiveWhooshBackend) else None


def merge_is_due() -> bool:
    """Whether the index has segments waiting to be merged (the archive's own engine; another merges by itself)."""
    backend = _backend()
    return isinstance(backend, ArchiveWhooshBackend) and backend.merge_is_due()


def merge_tier() -> int:
    """Merge the index's next full tier of segments; the documents merged, 0 when none is due."""
    backend = _backend()
    return backend.merge_tier() if isinstance(backend, ArchiveWhooshBackend) else 0


def rebuild(article_batches: Iterable[list[Article]], progress: Callable[[int], None] | None = None) -> int:
    """Replace the whole index by the documents of these articles; returns how many it holds. ``progress`` is
    called with the running count after each batch."""
    index, backend = _article_index(), _backend()
    if isinstance(backend, ArchiveWhooshBackend):
        return backend.replace_all(_prepared(backend, index, article_batches, progress))
    backend.clear(models=[Article])
    count = 0
    for batch in article_batches:
        backend.update(index, batch)
        count += len(batch)
        if progress:
            progress(count)
    return count


def clear() -> None:
    """An empty index: what a fresh install starts from, and what ``rebuild_index`` fills."""
    _backend().clear()


def stored_documents() -> list[dict]:
    """Every article document's stored fields; from another engine, only each document's type and id. Raises
    IndexUnavailable if the index cannot be read."""
    backend = _backend()
    if isinstance(backend, ArchiveWhooshBackend):
        return [doc for doc in backend.stored_documents() if doc.get(DJANGO_CT) == ARTICLE_CT]
    from haystack.query import SearchQuerySet

    return [{DJANGO_CT: ARTICLE_CT, DJANGO_ID: pk}
            for pk in SearchQuerySet().models(Article).values_list("pk", flat=True)]


def prepared_documents(articles: list[Article]) -> list[dict]:
    """The documents these articles give now, to compare with ``stored_documents()``; none for another engine, whose
    stored fields are not read."""
    backend = _backend()
    return backend.prepare_documents(_article_index(), articles) if isinstance(backend, ArchiveWhooshBackend) else []


def _prepared(backend, index, article_batches, progress) -> Iterator[list[dict]]:
    count = 0
    for batch in article_batches:
        documents = backend.prepare_documents(index, batch)
        count += len(documents)
        if progress:
            progress(count)
        yield documents


def _backend():
    return connections["default"].get_backend()


def _article_index():
    return connections["default"].get_unified_index().get_index(Article)


def _identifier(pk: int) -> str:
    return get_identifier(Article(pk=pk))
