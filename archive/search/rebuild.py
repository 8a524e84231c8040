"""The whole index rebuilt from the database (the source of truth) in bulk, without a moment of emptiness.

``rebuild_index`` and ``update_index`` come here. With the archive's Whoosh backend the documents are added
(``add_document``, never Whoosh's per-document ``update_document``, which looks each one up) by one process per core
to a new generation beside the live index, one segment each, and swapped in atomically; searches meanwhile read the
old index, whole. Other haystack engines (Elasticsearch, Solr) are cleared and updated batch by batch, as haystack does.
"""

from collections.abc import Callable, Iterator

from haystack import connections

from archive.models import Article

BATCH_SIZE = 1000  # articles read from the database and prepared at once


def rebuild_index(batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index of every indexable article; returns how many documents it holds."""
    index = connections["default"].get_unified_index().get_index(Article)
    backend = connections["default"].get_backend()
    if hasattr(backend, "replace_all"):
        return backend.replace_all(_documents(backend, index, batch_size, progress))
    backend.clear(models=[Article])
    count = 0
    for batch in _articles(index, batch_size):
        backend.update(index, batch)
        count += len(batch)
        if progress:
            progress(count)
    return count


def _documents(backend, index, batch_size: int, progress) -> Iterator[list[dict]]:
    count = 0
    for batch in _articles(index, batch_size):
        documents = backend.prepare_documents(index, batch)
        count += len(documents)
        if progress:
            progress(count)
        yield documents


def _articles(index, batch_size: int) -> Iterator[list[Article]]:
    """``index_queryset()`` (what the index must hold) in batches by primary key: constant memory at any size."""
    queryset = index.index_queryset().order_by("pk")
    last = 0
    while batch := list(queryset.filter(pk__gt=last)[:batch_size]):
        yield batch
        last = batch[-1].pk
