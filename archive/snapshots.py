"""Result-set snapshots: a search's results frozen so that a claim made from them ("32 reports mention grain
requisitions in Ryanggang in 2024") can be checked later, however the archive changes.

A snapshot keeps the search's canonical query string (``SearchParams``, without page or size), the time (to the
second, UTC), the count and, in order, each result's key and the version number it had then. Versions are kept for
ever (``archive.history``: a report's first correction stores the state before it as version 1), so the list, the
titles and the exports are read back from those versions and stay the same, byte for byte, after corrections,
withdrawals, merges and new reports. A report a snapshot cites cannot be deleted (only withdrawn or merged).

The digest is the SHA-256 of the snapshot's canonical form (``canonical_form``): JSON with sorted keys and no spaces,
UTF-8, of ``count``, ``created`` (``2024-05-01T09:30:00Z``), ``query`` and ``results`` (``[[key, version], ...]`` in
order). ``/snapshots/<id>/canonical.json`` serves those bytes, so ``sha256sum`` of the download is the digest.

Nobody edits a snapshot; its owner or staff may delete it, which empties it and leaves its URL answering 410 Gone
with the date. Bounded: at most ``ARCHIVE_SNAPSHOT_MAX_RESULTS`` results, ``ARCHIVE_SNAPSHOTS_PER_DAY`` a user a day.
"""

import datetime
import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from archive.errors import SnapshotLimitReached, SnapshotRefused
from archive.exports.records import Report
from archive.exports.stream import CHUNK, EXPORT_FORMATS, write_export
from archive.history import Snapshot, current_version_numbers, states_of_versions
from archive.models import Article, Region, ResultSnapshot, SnapshotItem
from archive.names import PersonName, person_name
from archive.search import SearchParams, listed_ids, matching_ids
from archive.search.params import PAGE_SIZE
from archive.withdrawal import final_survivor

MAX_TITLE_CHARS = 200
MAX_NOTE_CHARS = 2000
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: an id read aloud or copied by hand survives
ID_LENGTH = 10
SHOWN_CHANGES = 100  # of each kind on the "run it again" page
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Making and deleting -------------------------------------------------------------------------------------------------


def whole_result_set(params: SearchParams) -> SearchParams:
    """The search without its page and page size: a snapshot holds every result, not the page it was saved from."""
    return params.with_changes(page=1, page_size=PAGE_SIZE)


@dataclass(frozen=True)
class SaveForm:
    """What the search page's "Save this result set" form needs."""

    query: str
    title_max: int = MAX_TITLE_CHARS
    note_max: int = MAX_NOTE_CHARS


def save_form(params: SearchParams) -> SaveForm:
    return SaveForm(whole_result_set(params).as_query_string())


def params_of(snapshot: ResultSnapshot) -> SearchParams:
    return SearchParams.from_query(QueryDict(snapshot.query))


def save_snapshot(owner, params: SearchParams, title: str = "", note: str = "",
                  now: datetime.datetime | None = None) -> ResultSnapshot:
    """Freeze the search's results now. Refused (``SnapshotRefused``, with a message to show) for a title or note
    too long, a result set over the bound, or a user at the day's limit; nothing is kept then."""
    title, note = " ".join(_CONTROL.sub(" ", title).split()), _CONTROL.sub("", note).strip()
    if len(title) > MAX_TITLE_CHARS:
        raise SnapshotRefused(f"The title is {len(title):,} characters; at most {MAX_TITLE_CHARS} are kept.")
    if len(note) > MAX_NOTE_CHARS:
        raise SnapshotRefused(f"The note is {len(note):,} characters; at most {MAX_NOTE_CHARS:,} are kept.")
    now = (now or timezone.now()).replace(microsecond=0)
    _check_daily_limit(owner, now)  # before the search, which costs more than the count
    params = whole_result_set(params)
    bound = settings.ARCHIVE_SNAPSHOT_MAX_RESULTS
    ids, total = listed_ids(params, 0, bound + 1)
    if total > bound:
        raise SnapshotRefused(f"This search has {total:,} results; a snapshot holds at most {bound:,}. Narrow it "
                              "(a source, a region, a date range) and save each part.")
    items = _items_of(ids)
    with transaction.atomic():
        # The owner's row, locked: two saves at once by one user are counted one after the other.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        _check_daily_limit(owner, now)
        snapshot = ResultSnapshot.objects.create(
            id=_new_id(), owner=owner, query=params.as_query_string(), created_at=now, count=len(items),
            title=title, note=note, digest="")
        for item in items:
            item.snapshot = snapshot
        SnapshotItem.objects.bulk_create(items, batch_size=CHUNK)
        snapshot.digest = hashlib.sha256(canonical_form(snapshot)).hexdigest()
        snapshot.save(update_fields=["digest"])
    return snapshot


def may_delete(user, snapshot: ResultSnapshot) -> bool:
    """Its owner, or staff; nobody else, whoever can read it."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or snapshot.owner_id == user.pk


def delete_snapshot(snapshot: ResultSnapshot, user, now: datetime.datetime | None = None) -> ResultSnapshot:
    """Empty the snapshot (its list, title and note) and mark it deleted; its URL then answers 410 Gone. Deleting
    it again changes nothing."""
    if not may_delete(user, snapshot):
        raise SnapshotRefused("Only the analyst who saved this snapshot, or staff, may delete it.")
    with transaction.atomic():
        snapshot = ResultSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        if snapshot.is_deleted:
            return snapshot
        snapshot.items.all().delete()
        snapshot.deleted_at, snapshot.deleted_by = now or timezone.now(), user
        snapshot.title = snapshot.note = ""
        snapshot.save(update_fields=["deleted_at", "deleted_by", "title", "note"])
    return snapshot


def _check_daily_limit(owner, now: datetime.datetime) -> None:
    """Deleted snapshots count too: deleting one does not give its place back."""
    limit = settings.ARCHIVE_SNAPSHOTS_PER_DAY
    made = ResultSnapshot.objects.filter(owner=owner, created_at__gt=now - datetime.timedelta(days=1)).count()
    if made >= limit:
        raise SnapshotLimitReached(f"You have saved {made} snapshots in the last 24 hours, the most a day allows "
                                   f"({limit}). Try again tomorrow, or ask staff.")


def _items_of(ids: list[int]) -> list[SnapshotItem]:
    """The results still readable now (a report withdrawn or merged a moment ago is left out), in order, each with
    its current version number and its author's name parts."""
    items = []
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        articles = Article.objects.searchable().only("key", "author", "author_family", "author_given").in_bulk(part)
        versions = current_version_numbers(list(articles))
        for pk in part:
            if (article := articles.get(pk)) is None:
                continue
            name = person_name(article) or PersonName("")
            items.append(SnapshotItem(position=len(items) + 1, article=article, key=article.key, version=versions[pk],
                                      author_family=name.family, author_given=name.given))
    return items


def _new_id() -> str:
    """Random, not sequential: a snapshot's URL does not reveal how many there are or lead to the next one."""
    while True:
        candidate = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        if not ResultSnapshot.objects.filter(pk=candidate).exists():
            return candidate


# The digest ----------------------------------------------------------------------------------------------------------


def canonical_form(snapshot: ResultSnapshot) -> bytes:
    """The bytes the digest is the SHA-256 of (see the module's docstring): what the snapshot claims, nothing more."""
    results = [[key, version] for key, version in snapshot.items.order_by("position").values_list("key", "version")]
    created = snapshot.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    content = {"count": snapshot.count, "created": created, "query": snapshot.query, "results": results}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_matches(snapshot: ResultSnapshot) -> bool:
    """Whether the frozen contents still give the digest recorded when the snapshot was made."""
    return hashlib.sha256(canonical_form(snapshot)).hexdigest() == snapshot.digest


# Reading the frozen list ---------------------------------------------------------------------------------------------


@dataclass
class FrozenResult:
    """One result as it was when the snapshot was made."""

    position: int
    key: str
    version: int
    state: Snapshot  # the version's title, metadata (and text, for the exports that write it)
    name: PersonName | None

    @property
    def url(self) -> str:
        """The version's own page: the text that was there, whatever came after."""
        return reverse("article-version", kwargs={"key": self.key, "number": self.version})

    @property
    def title(self) -> str:
        return self.state.title

    def report(self, top_level: set[str]) -> Report:
        metadata = self.state.metadata
        regions = sorted(metadata.get("regions", []), key=lambda name: name not in top_level)  # stable: by name after
        url = metadata.get("url", "")
        return Report(
            key=self.key, title=self.state.title, date=metadata.get("published_iso", ""),
            source=metadata.get("source", ""), regions=regions, author=metadata.get("author", ""), name=self.name,
            language=metadata.get("language", ""), original_url=url if url.startswith(("https://", "http://")) else "",
            text=self.state.body_text)


def frozen_results(snapshot: ResultSnapshot, start: int = 0, stop: int | None = None, with_text: bool = False,
                   positions: list[int] | None = None) -> list[FrozenResult]:
    """Results ``start:stop`` (0-based), or those at ``positions`` (1-based), as they were: four queries."""
    items = snapshot.items.order_by("position")
    if positions is not None:
        items = items.filter(position__in=positions)
    items = list(items.values_list("position", "article_id", "key", "version", "author_family",
                                   "author_given")[start:stop])
    states = states_of_versions([(article_id, version) for _, article_id, _, version, _, _ in items], with_text)
    results = []
    for position, article_id, key, version, family, given in items:
        state = states[(article_id, version)]  # versions are never deleted, nor are the articles a snapshot cites
        name = PersonName(family, given) if state.metadata.get("author") else None
        results.append(FrozenResult(position, key, version, state, name))
    return results


def export_snapshot(snapshot: ResultSnapshot, format_name: str, site: str) -> Iterator[bytes]:
    """The snapshot as a search's export file (``archive.exports``), written from the frozen versions a chunk at a
    time; each permalink is the version's own URL on ``site``. The same bytes whenever it is asked for."""
    with_text = EXPORT_FORMATS[format_name].with_text
    top_level = set(Region.objects.filter(parent=None).values_list("name", flat=True))

    def reports():
        for start in range(0, snapshot.count, CHUNK):
            for result in frozen_results(snapshot, start, start + CHUNK, with_text=with_text):
                yield result.report(top_level), site + result.url

    return write_export(reports(), format_name)


# Running it again ----------------------------------------------------------------------------------------------------


@dataclass
class Change:
    """A frozen result and what became of it: ``article`` is the report now."""

    then: FrozenResult | None
    article: Article
    current_version: int = 0
    survivor: Article | None = None  # for a merged report

    @property
    def is_corrected(self) -> bool:
        return self.then is not None and self.current_version > self.then.version


@dataclass
class ChangeList:
    """Up to ``SHOWN_CHANGES`` changes of one kind, and how many there are."""

    changes: list[Change] = field(default_factory=list)
    total: int = 0


@dataclass
class RunAgain:
    snapshot: ResultSnapshot
    params: SearchParams
    count_now: int
    new: ChangeList
    corrected: ChangeList  # still matching, corrected since
    withdrawn: ChangeList
    merged: ChangeList
    no_longer_matching: ChangeList  # still readable, but the search no longer finds them (corrected or not)
    unchanged: int

    @property
    def has_changes(self) -> bool:
        return any(kind.total for kind in (self.new, self.corrected, self.withdrawn, self.merged,
                                           self.no_longer_matching))


def run_again(snapshot: ResultSnapshot) -> RunAgain:
    """The snapshot's search run now, against what it froze: new matches, and each frozen result that was corrected,
    withdrawn, merged or no longer matches. The snapshot itself is not touched."""
    params = params_of(snapshot)
    now_ids = _searchable(matching_ids(params))  # the index may hold a withdrawal a moment ago
    frozen = list(snapshot.items.order_by("position").values_list("position", "article_id", "version"))
    frozen_ids = [article_id for _, article_id, _ in frozen]
    articles = _articles(set(frozen_ids))
    current = current_version_numbers(frozen_ids)
    now_set, frozen_set = set(now_ids), set(frozen_ids)
    kinds = {"corrected": [], "withdrawn": [], "merged": [], "gone": []}
    unchanged = 0
    for position, article_id, version in frozen:
        article = articles[article_id]
        if article.is_withdrawn:
            kind = "withdrawn"
        elif article.is_merged:
            kind = "merged"
        elif article_id not in now_set:
            kind = "gone"
        elif current[article_id] > version:
            kind = "corrected"
        else:
            unchanged += 1
            continue
        kinds[kind].append((position, article_id, version))
    new_ids = [pk for pk in now_ids if pk not in frozen_set]
    lists = {kind: _change_list(snapshot, rows, articles, current) for kind, rows in kinds.items()}
    new_articles = _articles(set(new_ids[:SHOWN_CHANGES]))
    new = ChangeList([Change(None, new_articles[pk]) for pk in new_ids[:SHOWN_CHANGES]], len(new_ids))
    return RunAgain(snapshot, params, count_now=len(now_ids), new=new, corrected=lists["corrected"],
                    withdrawn=lists["withdrawn"], merged=lists["merged"], no_longer_matching=lists["gone"],
                    unchanged=unchanged)


def _change_list(snapshot, rows, articles, current) -> ChangeList:
    shown = rows[:SHOWN_CHANGES]
    positions = [position for position, _, _ in shown]
    then = {result.position: result for result in frozen_results(snapshot, positions=positions)} if shown else {}
    changes = []
    for position, article_id, _ in shown:
        article = articles[article_id]
        survivor = final_survivor(article) if article.is_merged else None
        changes.append(Change(then[position], article, current[article_id], survivor))
    return ChangeList(changes, len(rows))


def _articles(ids: set[int]) -> dict[int, Article]:
    found = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        found |= Article.objects.select_related("source").in_bulk(ordered[start:start + CHUNK])
    return found


def _searchable(ids: list[int]) -> list[int]:
    """The ids of reports neither withdrawn nor merged, in their order."""
    found = set()
    for start in range(0, len(ids), CHUNK):
        found |= set(Article.objects.searchable().filter(pk__in=ids[start:start + CHUNK]).values_list("pk", flat=True))
    return [pk for pk in ids if pk in found]
