"""The one way articles reach the search index: after the transaction that wrote them commits, through one writer.

Architecture rule: index writes go through one queued writer, so no request ever meets a Whoosh lock. The caller's
thread reads the articles and prepares their index documents (it sees its own committed rows); a single worker
thread per process takes the prepared documents from a queue and writes them, everything waiting in the queue in
one commit (ingesting a file of 20,000 articles makes a few commits, not 20,000). Tests, commands and anything that
must read its own writes call ``wait_for_index()``.

The database is the source of truth: if indexing fails, the articles are safe and ``rebuild_index`` restores the
index from them.
"""

import logging
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from haystack import connections
from haystack.constants import ID

from archive.models import Article

log = logging.getLogger(__name__)

BATCH_DOCUMENTS = 2000  # at most this many documents per commit


@dataclass
class _Job:
    backend: object  # the haystack backend that prepared the documents (it knows the index path)
    documents: list[dict] = field(default_factory=list)
    removed: tuple[str, ...] = ()


_jobs: "queue.Queue[_Job]" = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def index_after_commit(article_ids: list[int]) -> None:
    """Queue articles for (re)indexing once the surrounding transaction commits."""
    if article_ids:
        transaction.on_commit(lambda: index_articles(list(article_ids)))


def index_articles(article_ids: Iterable[int]) -> None:
    """Prepare the documents of these articles now and queue their write; ids no longer in the database are
    removed from the index."""
    article_ids = list(article_ids)
    index = connections["default"].get_unified_index().get_index(Article)
    backend = index.get_backend("default")
    articles = list(index.index_queryset().filter(pk__in=article_ids))
    if not hasattr(backend, "prepare_documents"):
        # Elasticsearch, OpenSearch, Solr: the server takes concurrent writes itself, no local queue needed.
        backend.update(index, articles)
        return
    documents = backend.prepare_documents(index, articles)
    found = {article.pk for article in articles}
    gone = tuple(f"archive.article.{pk}" for pk in article_ids if pk not in found)
    _submit(_Job(backend, documents, gone))


def wait_for_index() -> None:
    """Block until every queued write is in the index."""
    _jobs.join()


def indexed_count() -> int:
    from haystack.query import SearchQuerySet

    return SearchQuerySet().models(Article).count()


def _submit(job: _Job) -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_drain, name="archive-index-writer", daemon=True)
            _worker.start()
    _jobs.put(job)


def _drain() -> None:
    """The single writer, forever: takes what is waiting, writes it per index in one commit; a failed write is
    logged (the database still has the articles, and rebuild_index repairs the index)."""
    while True:
        batch = [_jobs.get()]
        while sum(len(job.documents) for job in batch) < BATCH_DOCUMENTS:
            try:
                batch.append(_jobs.get_nowait())
            except queue.Empty:
                break
        try:
            _write(batch)
        except Exception:
            log.exception("writing to the search index failed; run rebuild_index to repair it")
        finally:
            for _ in batch:
                _jobs.task_done()


def _write(batch: list[_Job]) -> None:
    by_path: dict[str, list[_Job]] = {}
    for job in batch:
        by_path.setdefault(getattr(job.backend, "path", None) or "", []).append(job)
    for jobs in by_path.values():
        documents = {doc[ID]: doc for job in jobs for doc in job.documents}  # the latest version of each wins
        removed = tuple(identifier for job in jobs for identifier in job.removed if identifier not in documents)
        jobs[-1].backend.write(list(documents.values()), removed)
