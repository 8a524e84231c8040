"""E-mail digests of saved searches: ``manage.py send_digests``, run by cron, sends each analyst one e-mail covering
every saved search of theirs whose digest is due and that has new or corrected matches.

Each saved search keeps a high-water mark, ``digest_through``: every change up to it has been covered. A run
covers ``(digest_through, until]`` and moves the mark to ``until``, so a second run sends nothing twice. ``until``
is a little in the past (``SETTLE``) and never after the oldest change still waiting for the index: a report
committed late, or not yet searchable, is then covered by the next run rather than skipped for ever.

Killed halfway, a run is **at least once**: per analyst, the marks are locked, the e-mail is sent, and the marks
are moved, in one transaction. A run killed after sending and before committing leaves the marks where they were,
and the next run sends that digest again; it never loses one. (At most once would move the marks first and could
lose a digest to a crash; a duplicate e-mail is the cheaper failure for someone watching a question.) A second run
at the same time waits on the locks, then finds the marks moved and sends nothing. On SQLite the transaction holds
the database's write lock while the mail server answers (``EMAIL_TIMEOUT`` bounds it).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from archive.citation import SITE_NAME
from archive.errors import BadParameter
from archive.models import PendingIndexUpdate, SavedSearch
from archive.views.search_links import search_url
from archive.watches import CORRECTED, WatchedChange, changes_between, matching, params_of, with_articles

logger = logging.getLogger(__name__)

PERIODS = {SavedSearch.Digest.DAILY: datetime.timedelta(days=1), SavedSearch.Digest.WEEKLY: datetime.timedelta(days=7)}
# A daily cron job starts a few seconds later one day than the day before: a digest is due this much early.
SLACK = datetime.timedelta(hours=1)
SETTLE = datetime.timedelta(minutes=10)
MAX_LISTED = 50  # reports listed per saved search in one e-mail; the rest are counted


@dataclass
class DigestRun:
    """What a run did, one line per analyst, for the command's summary."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    quiet: int = 0  # analysts with due searches and nothing new

    def lines(self) -> list[str]:
        return [*self.sent, *self.skipped, *self.failed,
                f"{len(self.sent)} digest{'s' if len(self.sent) != 1 else ''} sent, {self.quiet} with nothing new, "
                f"{len(self.skipped)} skipped, {len(self.failed)} failed"]


def send_digests(now: datetime.datetime | None = None) -> DigestRun:
    now = now or timezone.now()
    until = settled_until(now)
    run = DigestRun()
    by_owner = defaultdict(list)
    for saved in SavedSearch.objects.exclude(digest=SavedSearch.Digest.NONE).select_related("owner"):
        if is_due(saved, now):
            by_owner[saved.owner].append(saved)
    for owner, due in sorted(by_owner.items(), key=lambda item: item[0].pk):
        if not owner.email:
            run.skipped.append(f"skipped {owner.get_username()}: no e-mail address ({len(due)} saved searches due)")
            continue
        try:
            _digest_for(owner, due, until, now, run)
        except Exception:  # one analyst's failure (a refused address, a mail server down) does not end the run
            logger.exception("digest for %s failed", owner.get_username())
            run.failed.append(f"failed {owner.get_username()}: the digest could not be sent (see the log)")
    return run


def is_due(saved: SavedSearch, now: datetime.datetime) -> bool:
    period = PERIODS.get(saved.digest)
    if period is None:
        return False
    return saved.digest_checked_at is None or saved.digest_checked_at <= now - period + SLACK


def settled_until(now: datetime.datetime) -> datetime.datetime:
    """The end of the window a run may cover: ``SETTLE`` ago, and before any change the index has not yet taken."""
    oldest_pending = PendingIndexUpdate.objects.aggregate(at=Min("enqueued_at"))["at"]
    until = now - SETTLE
    if oldest_pending is not None:
        until = min(until, oldest_pending - datetime.timedelta(microseconds=1))
    return until


def _digest_for(owner, due: list[SavedSearch], until, now, run: DigestRun) -> None:
    # The searches run before the transaction, which takes the database's write lock on SQLite.
    found = {}
    for saved in due:
        if saved.digest_through >= until:
            continue
        try:
            found[saved.pk] = (saved.digest_through, matching(params_of(saved), changes_between(saved.digest_through,
                                                                                                 until)))
        except BadParameter as exc:
            run.failed.append(f"failed {owner.get_username()}: saved search “{saved.name}” cannot be read: {exc}")
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().in_bulk(list(found))
        # Another run may have covered some since they were read: those are left to it.
        fresh = [locked[pk] for pk, (through, _) in found.items()
                 if pk in locked and locked[pk].digest_through == through]
        news = [(saved, with_articles(found[saved.pk][1])) for saved in fresh if found[saved.pk][1]]
        if news:
            send_mail(_subject(news), _body(news), settings.DEFAULT_FROM_EMAIL, [owner.email])
            run.sent.append(f"sent {owner.get_username()} <{owner.email}>: "
                            + "; ".join(f"“{saved.name}” {len(entries)}" for saved, entries in news))
        else:
            run.quiet += 1
        SavedSearch.objects.filter(pk__in=[saved.pk for saved in fresh]).update(digest_through=until,
                                                                                  digest_checked_at=now)


def _subject(news) -> str:
    total = len({entry.article.pk for _, entries in news for entry in entries})  # a report in two searches: once
    names = ", ".join(saved.name for saved, _ in news)
    return f"{SITE_NAME}: {total} new or corrected report{'s' if total != 1 else ''} in {names}"[:200]


def _body(news: list[tuple[SavedSearch, list[WatchedChange]]]) -> str:
    site = settings.ARCHIVE_SITE_URL
    parts = []
    for saved, entries in news:
        lines = [saved.name, "=" * min(len(saved.name), 70), f"{site}{search_url(params_of(saved))}", ""]
        for entry in entries[::-1][:MAX_LISTED]:  # newest first
            article = entry.article
            if entry.change.kind == CORRECTED:
                link = site + reverse("article-history", kwargs={"key": article.key})
                lines.append(f"Corrected {entry.change.at:%d %b %Y}: {article.title}\n  {link}")
            else:
                lines.append(f"New: {article.title}\n  {site}{article.get_absolute_url()}")
        if len(entries) > MAX_LISTED:
            lines.append(f"... and {len(entries) - MAX_LISTED} more: open the search above.")
        parts.append("\n".join(lines))
    footer = (f"You receive this because you asked for a digest of these saved searches. Change or stop it at "
              f"{site}{reverse('my-searches')}")
    return "\n\n\n".join([*parts, footer]) + "\n"
