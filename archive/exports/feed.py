"""What the Atom feed of a search holds: its newest results, and the reports it held that were withdrawn lately.

A feed reader keeps the entries it has seen. A report that only vanished from the feed would stay in the reader as
if nothing had happened, so a report withdrawn in the last ``WITHDRAWN_DAYS`` that the search would find comes back
once more, marked withdrawn, with the reason (its ``updated`` moving to the withdrawal). Withdrawn reports are no
longer in the index, so whether the search finds one is decided from the database: its facet values and dates, and,
for a query, each of the query's plain words somewhere in its title or text. It is a near reading, meant to err
toward leaving out: no stemming (a withdrawal found only by a word's other form is left out), and a query of fields or
prefixes alone marks no withdrawal.

Each entry's ``updated`` is the article's last change (a correction moves it); its id is the permalink's key, so it
is the same on every fetch.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from archive.models import Article
from archive.search import SearchParams, matching_ids
from archive.search.params import UNDATED
from archive.search.query import read_query

FEED_SIZE = 50
WITHDRAWN_DAYS = 30


@dataclass
class FeedEntry:
    article: Article

    @property
    def is_withdrawn(self) -> bool:
        return self.article.is_withdrawn

    @property
    def updated(self) -> datetime.datetime:
        """The last change a reader should hear of: a correction, or the withdrawal."""
        return max(filter(None, [self.article.updated_at, self.article.withdrawn_at]))

    @property
    def published(self) -> datetime.datetime:
        """The publication date (midnight UTC); for an undated report, when the archive received it."""
        return self.article.published_datetime or self.article.ingested_at


def feed_entries(params: SearchParams, now: datetime.datetime | None = None) -> list[FeedEntry]:
    """Newest first (undated reports last), whatever order the search page was in."""
    ids = matching_ids(params.with_changes(sort="newest"), limit=FEED_SIZE)
    loaded = Article.objects.select_related("source").prefetch_related("regions")
    found = loaded.in_bulk(ids)
    # A merged report is not marked: its entry's link leads to the survivor, which is (or will be) an entry itself.
    articles = [found[pk] for pk in ids if pk in found and not found[pk].is_merged]
    since = (now or timezone.now()) - datetime.timedelta(days=WITHDRAWN_DAYS)
    articles += list(_withdrawn_matching(loaded.filter(withdrawn_at__gte=since).exclude(pk__in=ids), params))
    articles.sort(key=lambda a: (a.published is not None, a.published or datetime.date.min), reverse=True)
    return [FeedEntry(article) for article in articles]


def _withdrawn_matching(withdrawn, params: SearchParams):
    for facet, field in (("source", "source__slug"), ("region", "regions__slug"), ("author", "author_slug"),
                         ("language", "language"), ("person", "people__slug")):
        if values := getattr(params, facet):
            withdrawn = withdrawn.filter(**{f"{field}__in": values})
    if params.year:
        years = [int(year) for year in params.year if year != UNDATED]
        withdrawn = withdrawn.filter(Q(published__year__in=years) | (
            Q(published__isnull=True) if UNDATED in params.year else Q(pk__in=[])))
    if params.date_from:
        withdrawn = withdrawn.filter(published__gte=params.date_from)
    if params.date_to:
        withdrawn = withdrawn.filter(published__lte=params.date_to)
    reading = read_query(params.q, exact=params.exact)
    if reading.sq is not None and not reading.words:  # fields or prefixes only: not judged from the database
        return withdrawn.none()
    for word in reading.words:
        withdrawn = withdrawn.filter(Q(title__icontains=word) | Q(body_text__icontains=word))
    return withdrawn.distinct()[:FEED_SIZE]
