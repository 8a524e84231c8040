"""Saved searches that watch: an analyst keeps a search under a name, sees on "My searches" how many reports are new
since they last opened it, and follows it in a private Atom feed (and, through ``archive.digests``, by e-mail).

What a watch reports are *changes*: a matching report arriving, and a matching report being corrected. Corrections
are news: an alert that stays silent when a watched report changes lets the analyst go on quoting the old text. Each
change is one event with its own time and version (arrival is version 1, a correction the version it made), so a
feed entry is unique per version and a feed reader shows a correction as a new item.

Changes are read from the database first (arrivals by ``ingested_at``, corrections as ``ArticleVersion`` rows), and
only when there are any is the search run, once, to keep those it matches: an idle watch costs no search. A match is
what the search page lists for the search today (partial matches of a short word list included).

The feed's address holds a token (``secrets.token_urlsafe(32)``) beside the saved search's id; the token is compared
in constant time, and a new one makes the old address answer 404.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from archive.errors import BadParameter, SavedSearchRefused
from archive.models import Article, ArticleVersion, SavedSearch
from archive.search import SearchParams, matching_ids

NAME_MAX_CHARS = SavedSearch._meta.get_field("name").max_length
FEED_DAYS = 30  # the private feed holds the changes of this many days
FEED_SIZE = 50
NEW, CORRECTED = "new", "corrected"


@dataclass(frozen=True)
class Change:
    """A report arriving (``NEW``, version 1) or corrected (``CORRECTED``, the version the correction made)."""

    article_id: int
    kind: str
    at: datetime.datetime
    version: int


@dataclass
class WatchedChange:
    change: Change
    article: Article


@dataclass
class WatchSummary:
    """A line of "My searches": the saved search and what changed in it since its owner last opened it."""

    saved: SavedSearch
    params: SearchParams | None  # None when the stored parameters no longer read (``error`` says why)
    new: int = 0
    corrected: int = 0
    error: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def description(self) -> str:
        return describe(self.params) if self.params else ""


# Keeping, renaming, deleting -------------------------------------------------------------------------------------


def save_search(owner, name: str, params: SearchParams) -> SavedSearch:
    """Keep the search (its page left out) under a name of its owner's; refused past the limit per user.

    The owner's row is locked while counting, so two saves at once cannot both pass the limit."""
    name = clean_name(name)
    limit = settings.ARCHIVE_SAVED_SEARCHES_PER_USER
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=owner.pk)
        if owner.saved_searches.count() >= limit:
            raise SavedSearchRefused(f"You can keep at most {limit} saved searches; delete one to save another.")
        _refuse_taken(owner, name)
        return SavedSearch.objects.create(owner=owner, name=name, query=canonical_query(params),
                                          feed_token=secrets.token_urlsafe(32))


def rename(saved: SavedSearch, name: str) -> SavedSearch:
    name = clean_name(name)
    if name != saved.name:
        _refuse_taken(saved.owner, name, exclude=saved.pk)
        saved.name = name
        try:
            with transaction.atomic():
                saved.save(update_fields=["name"])
        except IntegrityError:  # taken by a rename at the same moment
            raise SavedSearchRefused(f"You already have a saved search named “{name}”.") from None
    return saved


def set_digest(saved: SavedSearch, digest: str, now: datetime.datetime | None = None) -> SavedSearch:
    """Turning a digest on starts it from now: the first e-mail holds what changes after, not the archive's past."""
    if digest not in SavedSearch.Digest.values:
        raise SavedSearchRefused(f"The digest is one of {', '.join(SavedSearch.Digest.values)}, not {digest[:20]!r}.")
    if digest != saved.digest:
        if saved.digest == SavedSearch.Digest.NONE:
            saved.digest_through, saved.digest_checked_at = now or timezone.now(), None
        saved.digest = digest
        saved.save(update_fields=["digest", "digest_through", "digest_checked_at"])
    return saved


def new_feed_token(saved: SavedSearch) -> SavedSearch:
    """A new feed address; the old one answers 404 from now on."""
    saved.feed_token = secrets.token_urlsafe(32)
    saved.save(update_fields=["feed_token"])
    return saved


def visit(saved: SavedSearch, now: datetime.datetime | None = None) -> SearchParams:
    """Opening a saved search's results: what was new is now seen."""
    saved.last_visited_at = now or timezone.now()
    saved.save(update_fields=["last_visited_at"])
    return params_of(saved)


@dataclass(frozen=True)
class WatchForm:
    """What the search page's "Watch this search" form holds: the search, and a name to start from."""

    query: str
    name: str
    name_max: int = NAME_MAX_CHARS


def watch_form(params: SearchParams) -> WatchForm:
    return WatchForm(canonical_query(params), describe(params)[:NAME_MAX_CHARS])


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SavedSearchRefused("Give the search a name.")
    if len(name) > NAME_MAX_CHARS:
        raise SavedSearchRefused(f"A name is at most {NAME_MAX_CHARS} characters; this one has {len(name)}.")
    return name


def canonical_query(params: SearchParams) -> str:
    """The one form a search is kept in: ``SearchParams``'s own query string, without its page."""
    return replace(params, page=1).as_query_string()


def describe(params: SearchParams) -> str:
    """The search in a line: “rice” · region ryanggang · from 2024-01-01."""
    parts = [f"“{params.q}”" if params.q else "every report"]
    parts += [f"{facet} {', '.join(values)}" for facet, values in params.filters.items()]
    parts += [f"{label} {date.isoformat()}" for label, date in (("from", params.date_from), ("to", params.date_to))
              if date]
    parts += ["names as typed"] if params.exact else []
    return " · ".join(parts)


def params_of(saved: SavedSearch) -> SearchParams:
    """Raises ``BadParameter`` if the parser has since become stricter than the stored query."""
    return SearchParams.from_query(QueryDict(saved.query))


def feed_search(pk: int, token: str) -> SavedSearch | None:
    """The saved search whose feed this is, or None for an unknown id or a wrong (or revoked) token."""
    saved = SavedSearch.objects.filter(pk=pk).first()
    if saved is None or not secrets.compare_digest(saved.feed_token.encode(), token.encode()):
        return None
    return saved


def _refuse_taken(owner, name: str, exclude: int | None = None) -> None:
    if owner.saved_searches.filter(name=name).exclude(pk=exclude).exists():
        raise SavedSearchRefused(f"You already have a saved search named “{name}”.")


# What changed ------------------------------------------------------------------------------------------------------


def changes_between(after: datetime.datetime, until: datetime.datetime | None = None) -> list[Change]:
    """Every arrival and correction of a searchable report in ``(after, until]``, oldest first."""
    arrivals = Article.objects.searchable().filter(ingested_at__gt=after)
    corrections = ArticleVersion.objects.filter(number__gt=1, edited_at__gt=after, article__withdrawn_at__isnull=True,
                                                article__merged_into__isnull=True)
    if until is not None:
        arrivals, corrections = arrivals.filter(ingested_at__lte=until), corrections.filter(edited_at__lte=until)
    changes = [Change(pk, NEW, at, 1) for pk, at in arrivals.values_list("pk", "ingested_at")]
    changes += [Change(pk, CORRECTED, at, number)
                for pk, at, number in corrections.values_list("article_id", "edited_at", "number")]
    return sorted(changes, key=lambda change: (change.at, change.article_id, change.version))


def matching(params: SearchParams, changes: Iterable[Change]) -> list[Change]:
    """The changes whose report the search matches today; one search, and none when there is no change."""
    changes = list(changes)
    if not changes:
        return []
    matched = set(matching_ids(params))
    return [change for change in changes if change.article_id in matched]


def watch_list(owner) -> list[WatchSummary]:
    """The owner's saved searches, each with the reports new and corrected since it was last opened.

    The changes since the oldest visit are read once; a search runs only for a saved search with changes since its
    own visit."""
    saved_searches = list(owner.saved_searches.all())
    if not saved_searches:
        return []
    changes = changes_between(min(saved.last_visited_at for saved in saved_searches))
    summaries = []
    for saved in saved_searches:
        try:
            params = params_of(saved)
        except BadParameter as exc:
            summaries.append(WatchSummary(saved, None, error=str(exc)))
            continue
        found = matching(params, (c for c in changes if c.at > saved.last_visited_at))
        new = {c.article_id for c in found if c.kind == NEW}
        corrected = {c.article_id for c in found if c.kind == CORRECTED} - new
        summaries.append(WatchSummary(saved, params, len(new), len(corrected), changes=found))
    return summaries


def feed_changes(saved: SavedSearch, now: datetime.datetime | None = None) -> list[WatchedChange]:
    """The feed's entries: the arrivals and corrections of matching reports in the last ``FEED_DAYS``, newest first,
    at most ``FEED_SIZE``."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_DAYS)
    found = matching(params_of(saved), changes_between(since))[::-1][:FEED_SIZE]
    return with_articles(found)


def with_articles(changes: list[Change]) -> list[WatchedChange]:
    """The changes with their articles (source and regions loaded), in one query."""
    articles = Article.objects.select_related("source").prefetch_related("regions").in_bulk(
        {change.article_id for change in changes})
    return [WatchedChange(change, articles[change.article_id]) for change in changes if change.article_id in articles]
