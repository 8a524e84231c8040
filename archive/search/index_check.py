"""Drift between the database and the index, found by id, and its repair through the queue of pending updates.

``index_queryset()`` says what the index must hold. A document is **missing** when an indexable article has none,
**extra** when the index holds an id that is not indexable (deleted, withdrawn, merged), and **stale** when the fields
the index stores differ from what the article gives now (an update that never arrived). Repair enqueues those ids and
drains: the same path every change takes, so a repair cannot disagree with it.
"""

from dataclasses import dataclass, field

from django.db import transaction
from haystack.constants import DJANGO_CT, DJANGO_ID, ID

from archive.search import engine
from archive.search.indexing import enqueue, wait_for_index

CHUNK = 500


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    indexable: int = 0
    indexed: int = 0

    @property
    def ids(self) -> list[int]:
        return sorted({*self.missing, *self.extra, *self.stale})

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.stale)


def find_drift() -> Drift:
    """Compare every indexable article with its document. Raises IndexUnavailable if the index cannot be read."""
    stored = {int(doc[DJANGO_ID]): doc for doc in engine.stored_documents()}
    drift = Drift(indexed=len(stored))
    queryset = engine.indexable_articles().order_by("pk")
    ids = list(queryset.values_list("pk", flat=True))
    drift.indexable = len(ids)
    wanted = set(ids)
    drift.missing = [pk for pk in ids if pk not in stored]
    drift.extra = sorted(pk for pk in stored if pk not in wanted)
    present = [pk for pk in ids if pk in stored]
    for start in range(0, len(present), CHUNK):
        articles = list(queryset.filter(pk__in=present[start:start + CHUNK]))
        for document in engine.prepared_documents(articles):
            pk = int(document[DJANGO_ID])
            if _differs(document, stored[pk]):
                drift.stale.append(pk)
    return drift


def repair(drift: Drift) -> None:
    """Enqueue every drifted id and wait until the index holds them."""
    with transaction.atomic():
        enqueue(drift.ids)
    wait_for_index()


def _differs(prepared: dict, stored: dict) -> bool:
    """Only fields the index stores can be compared; the id and type are the same by construction."""
    return any(prepared.get(name) != value for name, value in stored.items() if name not in (ID, DJANGO_CT, DJANGO_ID))
