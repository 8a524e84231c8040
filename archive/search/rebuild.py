"""The whole index rebuilt from the database (the source of truth) in bulk, without a moment of emptiness.

``rebuild_index`` and ``update_index`` come here. With the archive's Whoosh engine the documents are added by one
process per core to a new generation beside the live index and swapped in atomically; searches meanwhile read the
old index, whole. Other haystack engines are cleared and updated batch by batch (``archive.search.engine``).
"""

from collections.abc import Callable, Iterator

from archive.models import Article
from archive.search import engine

BATCH_SIZE = 1000  # articles read from the database and prepared at once


def rebuild_index(batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index of every indexable article; returns how many documents it holds."""
    return engine.rebuild(_articles(batch_size), progress)


def _articles(batch_size: int) -> Iterator[list[Article]]:
    """What the index must hold in batches by primary key: constant memory at any size."""
    queryset = engine.indexable_articles().order_by("pk")
    last = 0
    while batch := list(queryset.filter(pk__gt=last)[:batch_size]):
        yield batch
        last = batch[-1].pk
