"""What ``/healthz`` reports (``archive.views.api.healthz``): the database's article count beside the index's, and
the queue of index updates between them, so a lagging or lost index shows to a monitor; and the index's segments,
and whether some wait to be merged (by tiers, once an ingest is over: ``merge_due`` true for long says merges are not
happening)."""

from archive.errors import IndexUnavailable
from archive.models import Article, PendingIndexUpdate
from archive.search import engine

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "index unavailable"


def index_health() -> dict:
    """What ``/healthz`` reports. ``ok``: the index holds what the database says, or is catching up (updates
    pending, none failing); ``degraded``: updates are failing, or the counts differ with nothing pending (run
    ``index_check --repair``); ``index unavailable``: the index is missing or unreadable (run ``rebuild_index``)."""
    articles = Article.objects.count()
    indexable = engine.indexable_articles().count()
    pending = PendingIndexUpdate.objects.count()
    failing = PendingIndexUpdate.objects.filter(attempts__gt=0).count()
    try:
        indexed = engine.indexed_count()
    except IndexUnavailable as exc:
        return {"status": UNAVAILABLE, "error": str(exc), "articles": articles, "indexed": None, "pending": pending}
    in_step = indexed == indexable or (pending and not failing)
    return {"status": OK if in_step and not failing else DEGRADED, "articles": articles, "indexed": indexed,
            "pending": pending, "failing": failing, "segments": engine.segment_count(),
            "merge_due": engine.merge_is_due()}
