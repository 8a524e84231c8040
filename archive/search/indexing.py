"""The one way changes reach the search index: a durable queue in the database, drained by one writer at a time.

Why a queue in the database. Gunicorn workers, ``ingest`` runs and the admin are separate processes, and Whoosh lets
one writer hold an index. Writing from each process (haystack's way) meets Whoosh's ``LockError`` (swallowed by
``SILENTLY_FAIL``, so a deleted article stays searchable) and loses updates when a process dies between its database
commit and its index write. So a change never writes the index itself; it records *that* the index must change:

1. ``index_after_commit(article_ids)`` upserts one ``PendingIndexUpdate`` row per article **in the caller's
   transaction**: the row commits with the change or not at all, and a process killed after the commit leaves the row
   for any other process to drain. Enqueueing an article already pending gives its row a new ``version``.
2. When the transaction commits, an ``on_commit`` nudge wakes this process's **drainer thread** (requests never wait
   on the index). The drainer tries the cross-process writer lock (``index_writer_lock(blocking=False)``):
   - taken: it reads a batch of due rows, reads those articles from the database *after* reading the rows (so it
     writes their latest committed state), writes them with ``engine.write_articles`` (``index_queryset()`` says what
     the index must hold: an id not in it, deleted or withdrawn, is removed from the index), in one commit, and loops
     until no row is due. It releases the lock, then
     deletes exactly the rows it wrote, matched by ``version``: a row enqueued again during the write keeps its new
     version and is written by the next batch (deleting after the release keeps a wait for SQLite's write lock from
     holding up the index). Then it **looks once more**: a row committed by a process that failed to take the lock
     while we held it is ours to drain, so we take the lock again.
   - not taken: the holder will see the row (it looks again after releasing). Should the holder die instead, the
     kernel frees its lock and this drainer, still seeing rows pending, tries again a moment later.
3. A failed write leaves its rows in the queue with ``attempts``, ``last_error`` and a ``retry_at`` that backs off
   exponentially; when a batch fails, its rows are retried one by one, so one bad article delays only itself (a
   failure of the index itself, unavailable or a write that lost documents, fails the whole batch instead).
   Nothing is swallowed: failures are logged and visible in ``/healthz`` (``pending``) and ``index_check``.
4. Servers (``archive.wsgi``) keep their drainer sweeping every few seconds, which also picks up rows left by killed
   processes; other processes' drainer threads end when the queue is empty.
5. **A web worker never indexes a backlog** (issue 19: a worker's sweep indexed part of an ingest's backlog and stayed
   at 673 MB; Python keeps the memory it grew to). A server process writes at most ``SERVER_WRITES_AT_MOST`` rows a
   commit itself (an upload, an admin edit); more than that, it hands to a **drainer process** it starts,
   ``manage.py drain_index``, detached, which drains and exits. A process that will drain the backlog itself holds a
   drain claim (``writer_lock.claim_draining``): ``manage.py ingest`` and the drainer process; while one is held,
   servers leave every row to its holder (they do not compete for the backlog: one indexes, the others answer). The
   claim is taken by the server and inherited by the process it starts, so two workers never start two. Should the
   claimant die, the kernel frees the claim and the next sweep starts a drainer. The same process **merges the
   segments of bulk writes** once the backlog is written (``engine.merge_tier``, by tiers), and a server whose queue
   is empty starts it for that alone when a merge is due and nobody holds the claim (an ingest merges nothing while
   it runs: its segments are merged after it, beside the servers).
6. **An ingest writes in bulk**: its drainer thread waits until ``BULK_ROWS`` rows are due (or the oldest has waited
   ``BULK_WAIT_SECONDS``), so each write is one commit of thousands of documents analysed by one process per core
   (large segments, merged by tiers afterwards), rather than a commit per file; ``wait_for_index`` writes the rest
   at the end.

``wait_for_index()`` drains in the calling thread and blocks until the queue is empty: commands call it before they
exit (their drainer thread dies with them), tests call it to read their own writes. Inside a transaction that never
commits (a test's), the nudge drains in the calling thread, as no other connection could see the rows.

The database is the source of truth: whatever happens to the index, ``rebuild_index`` restores it, and
``index_check --repair`` enqueues whatever differs.
"""

import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from archive.errors import IndexNotCaughtUp, IndexUnavailable, IndexWriteLost
from archive.models import PendingIndexUpdate
from archive.search import engine
from archive.search.writer_lock import (
    claim_draining,
    claim_for_a_new_process,
    index_writer_lock,
    is_claimed_elsewhere,
    writer_holder,
)

log = logging.getLogger(__name__)

BATCH = 10_000  # rows (articles) per index commit at most: a backlog is written by the backend's parallel writer
BATCHES_PER_HOLD = 2  # then the lock is released and the written rows deleted
ROWS_PER_INSERT = 500
SWEEP_SECONDS = 5.0  # a server's drainer looks for leftover rows this often
LOCK_RETRY_SECONDS = 0.25  # rows pending but another process holds the lock: look again after this
MAX_BACKOFF_SECONDS = 300
GIVE_UP_ATTEMPTS = 3  # wait_for_index stops waiting once every pending update has failed this often
SERVER_WRITES_AT_MOST = 200  # rows a server process indexes itself in one commit; a larger backlog goes to a process
CLAIMED_RETRY_SECONDS = 1.0  # a server leaving the backlog to a claimant looks again after this
BULK_ROWS = 5000  # an ingest's drainer writes once this many rows are due (two or more segments of thousands) ...
BULK_WAIT_SECONDS = 10.0  # ... or once the oldest has waited this long
PROGRESS_SECONDS = 1.0  # wait_for_index counts the pending updates this often, to tell a long write from a stall
MERGE_RETRY_SECONDS = 300.0  # a server that started a drainer process to merge waits this long to start another


def index_after_commit(article_ids: Iterable[int]) -> None:
    """Record, in the current transaction, that these articles' index documents must be written or removed; drain
    once it commits. The name says when the index changes: after the commit, never before."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    enqueue(ids)
    transaction.on_commit(_nudge)


def enqueue(article_ids: Iterable[int]) -> None:
    """Upsert one pending row per article, with a fresh version (a drainer holding the old one will not delete it)."""
    now = timezone.now()
    rows = [PendingIndexUpdate(article_id=pk, version=uuid.uuid4().hex, enqueued_at=now) for pk in article_ids]
    PendingIndexUpdate.objects.bulk_create(
        rows,
        batch_size=ROWS_PER_INSERT,
        update_conflicts=True,
        unique_fields=["article_id"],
        update_fields=["version", "enqueued_at", "attempts", "last_error", "retry_at"],
    )


def wait_for_index(timeout: float = 300.0, progress=None) -> None:
    """Drain here and block until no update is pending. Raises IndexNotCaughtUp when the index is unavailable, or
    when ``timeout`` seconds pass with no pending update written (a long backlog that is being written, by this
    process's drainer or another's, is waited for), with the reason the updates are still pending. ``progress`` as
    for ``drain``."""
    stalled_at = time.monotonic() + timeout
    left, looked_at = None, 0.0
    while True:
        try:
            drain(progress=progress)
        except OperationalError:  # SQLite busy past its timeout (another process's long write): wait on
            log.warning("the database is busy; index updates wait", exc_info=True)
        pending = PendingIndexUpdate.objects.order_by("attempts").first()  # the least failed
        if pending is None:
            return
        now = time.monotonic()
        if now - looked_at >= PROGRESS_SECONDS:  # someone is writing the backlog while it shrinks
            looked_at, count = now, PendingIndexUpdate.objects.count()
            if left is None or count < left:
                stalled_at = now + timeout
            left = count
        failing = pending.attempts > 0
        if (failing and not engine.is_available()) or pending.attempts >= GIVE_UP_ATTEMPTS or now > stalled_at:
            worst = PendingIndexUpdate.objects.order_by("-attempts").first()
            reason = worst.last_error or _lock_holder(timeout)
            raise IndexNotCaughtUp(f"{PendingIndexUpdate.objects.count()} index update(s) still pending: {reason}")
        time.sleep(0.02)


def _lock_holder(timeout: float) -> str:
    """Who kept the pending updates from being written, none having failed: the writer lock's holder."""
    holder = writer_holder()
    if holder is None:
        return f"none was written for {timeout:.0f} s, and no process holds the index writer lock now"
    who = "this process" if holder == os.getpid() else f"process {holder}" if holder else "another process"
    return f"none was written for {timeout:.0f} s: {who} holds the index writer lock (a long write or a merge)"


def drain_backlog(timeout: float, progress=None) -> int:
    """What a drainer process does: claim the backlog, write all of it, then merge the segments waiting to be merged
    (``engine.merge_tier``, a tier at a time, writing the rows that came meanwhile between two), and return how many
    rows were written. ``progress(done, total)`` after each commit (the total counted at the start, raised if rows
    arrive meanwhile)."""
    with claim_draining():
        total, done = PendingIndexUpdate.objects.count(), 0

        def written(rows: int) -> None:
            nonlocal done, total
            done += rows
            total = max(total, done)
            if progress:
                progress(done, total)

        wait_for_index(timeout, written)
        while engine.merge_is_due() and engine.merge_tier():
            wait_for_index(timeout, written)
        return done


def drain(max_rows: int | None = None, progress=None) -> bool:
    """Write every due pending update (at most ``max_rows``, in one commit) if this process can take the writer lock.
    Returns False if another process holds it (that process will see our rows), True once no row is due or
    ``max_rows`` are written. ``progress(rows)`` is called after each commit with the rows written in it."""
    while True:
        written: list[str] = []  # versions in the index, their rows not yet deleted
        with index_writer_lock(blocking=False) as taken:
            if not taken:
                return False
            _create_index_if_nothing_is_lost()
            for _ in range(1 if max_rows else BATCHES_PER_HOLD):
                rows = list(_due_rows().exclude(version__in=written).order_by("enqueued_at", "id")
                            [:min(BATCH, max_rows or BATCH)])
                if not rows:
                    break
                written += _process(rows)
                if progress:
                    progress(len(rows))
        # The rows leave the queue once the lock is released: deleting waits for SQLite's write lock, which an
        # ingest's long transaction may hold, and that wait must not hold up the index for every other process (at
        # worst another drainer writes these articles again, which changes nothing).
        for start in range(0, len(written), BATCH):
            PendingIndexUpdate.objects.filter(version__in=written[start:start + BATCH]).delete()
        # Rows committed while we held the lock, by processes that could not take it, are ours: look once more.
        if max_rows or not _due_rows().exists():
            return True


def _due_rows():
    return PendingIndexUpdate.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=timezone.now()))


def _process(rows: list[PendingIndexUpdate]) -> list[str]:
    """Write these rows' articles; the versions written (a failure is recorded on its rows instead)."""
    try:
        engine.write_articles([row.article_id for row in rows])
    except (IndexUnavailable, IndexWriteLost) as exc:  # not an article's fault: the whole batch is tried again
        _record_failure(rows, exc)
        return []
    except Exception as exc:  # noqa: BLE001 - the drainer is an edge: any failure is recorded and retried, not lost
        if len(rows) > 1:  # find the article that fails; the others go through
            return [version for row in rows for version in _process([row])]
        log.exception("writing article %s to the search index failed", rows[0].article_id)
        _record_failure(rows, exc)
        return []
    return [row.version for row in rows]


def _create_index_if_nothing_is_lost() -> None:
    """A missing index is created only when every article it must hold is pending (a fresh install, or none yet):
    an empty index in place of a lost one would hide every other article, which takes rebuild_index."""
    if engine.is_available():
        return
    if not engine.indexable_articles().exclude(pk__in=PendingIndexUpdate.objects.values("article_id")).exists():
        engine.clear()


def _record_failure(rows: list[PendingIndexUpdate], exc: Exception) -> None:
    """Attempts, the error and the next try (exponential backoff), on rows still holding the version we read."""
    for row in rows:
        attempts = row.attempts + 1
        delay = min(2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
        PendingIndexUpdate.objects.filter(pk=row.pk, version=row.version).update(
            attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000],
            retry_at=timezone.now() + timedelta(seconds=delay),
        )
    log.warning("%d index update(s) failed, retrying later: %s", len(rows), exc)


# The drainer thread ------------------------------------------------------------------------------------------------

_wake = threading.Event()
_thread: threading.Thread | None = None
_thread_lock = threading.Lock()
_sweeping = False
_bulk = False
_drainer_process: subprocess.Popen | None = None
_merge_handed_at = float("-inf")


def start_drainer(sweep: bool = False) -> None:
    """Make sure this process has a drainer thread; ``sweep`` keeps it looking for rows for good (servers), and makes
    it a server's: it writes small batches only and hands a backlog to a drainer process."""
    global _thread, _sweeping
    with _thread_lock:
        _sweeping = _sweeping or sweep
        if _thread is None:
            _thread = threading.Thread(target=_run_drainer, name="archive-index-drainer", daemon=True)
            _thread.start()
    _wake.set()


@contextmanager
def draining_in_bulk():
    """For the block, this process claims the queue's backlog (servers leave it alone) and its drainer thread writes
    it in bulk: ``BULK_ROWS`` at a time. Call ``wait_for_index`` before leaving: the claim promises the backlog."""
    global _bulk
    with claim_draining():
        _bulk = True
        try:
            yield
        finally:
            _bulk = False
            _wake.set()  # a thread waiting for a bulk batch looks again now: an empty queue ends it


def join_drainer(timeout: float = 30.0) -> None:
    """Wait until this process's (non-sweeping) drainer thread has emptied the queue and ended: a test that changes
    the index's settings next must not share a thread holding the old ones (haystack's backends are per thread)."""
    thread = _thread
    if thread is not None and not _sweeping:
        thread.join(timeout)


def _nudge() -> None:
    if connection.in_atomic_block:
        drain()  # a test's transaction, never committed: other connections cannot see the rows
    else:
        start_drainer()


def _run_drainer() -> None:
    global _thread
    delay = 0.0
    while True:
        _wake.wait(timeout=delay)
        _wake.clear()
        wait = None
        try:
            if _sweeping:
                wait = _serve_pending()
            elif _bulk:
                wait = _bulk_wait()
            took_lock = True if wait is not None else drain()
            next_due = _seconds_until_next_due()
        except Exception:  # noqa: BLE001 - e.g. the database is locked or gone for a moment: try again later
            log.exception("draining pending index updates failed; retrying")
            took_lock, next_due = True, 1.0
        finally:
            close_old_connections()
        if next_due is None:
            with _thread_lock:
                if not _sweeping and not _wake.is_set():
                    _thread = None
                    connection.close()  # this thread's own connection ends with it
                    return
            delay = SWEEP_SECONDS
        elif wait is not None:
            delay = wait
        else:
            delay = min(SWEEP_SECONDS, next_due if took_lock else LOCK_RETRY_SECONDS)


def _serve_pending() -> float | None:
    """A server's turn: None when it may drain a small batch itself, else seconds until it looks again (the backlog
    belongs to a claimant, or to the drainer process this just started)."""
    if _drainer_process_running():
        return CLAIMED_RETRY_SECONDS
    due = _due_rows().count()
    if not due:
        if _merge_waits():
            start_drainer_process()
            return CLAIMED_RETRY_SECONDS
        return SWEEP_SECONDS
    if is_claimed_elsewhere():
        return CLAIMED_RETRY_SECONDS
    if due <= SERVER_WRITES_AT_MOST:
        drain(max_rows=SERVER_WRITES_AT_MOST)
        return 0.0 if _due_rows().exists() else SWEEP_SECONDS
    start_drainer_process()
    return CLAIMED_RETRY_SECONDS


def _bulk_wait() -> float | None:
    """An ingest's turn: None when a bulk batch is due (or has waited long enough), else seconds to wait for more."""
    due = _due_rows().aggregate(rows=Count("id"), oldest=Min("enqueued_at"))
    if not due["rows"]:
        return SWEEP_SECONDS
    waited = (timezone.now() - due["oldest"]).total_seconds()
    if due["rows"] >= BULK_ROWS or waited >= BULK_WAIT_SECONDS:
        return None
    return max(0.1, BULK_WAIT_SECONDS - waited)


def _merge_waits() -> bool:
    """Whether to start a drainer process to merge segments: a merge is due, no process holds the claim (an ingest
    still writing), and none was started for it in the last MERGE_RETRY_SECONDS (one that fails is not started again
    at every sweep)."""
    global _merge_handed_at
    if time.monotonic() - _merge_handed_at < MERGE_RETRY_SECONDS or is_claimed_elsewhere():
        return False
    if not engine.merge_is_due():
        return False
    _merge_handed_at = time.monotonic()
    return True


def start_drainer_process() -> subprocess.Popen | None:
    """Start ``manage.py drain_index`` detached (its own session: a restarting worker does not take it along),
    handing it a drain claim; None if another process holds one already (it drains)."""
    global _drainer_process
    claim = claim_for_a_new_process()
    if claim is None:
        return None
    try:
        _drainer_process = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "drain_index"], cwd=settings.BASE_DIR,
            env=os.environ.copy(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, pass_fds=(claim.fileno(),),
            start_new_session=True,
        )
    finally:
        claim.close()  # the process holds the claim through its inherited descriptor
    log.info("index backlog handed to drainer process %s", _drainer_process.pid)
    return _drainer_process


def _drainer_process_running() -> bool:
    """Whether the drainer process this server started still runs (reaping it once it ended)."""
    global _drainer_process
    if _drainer_process is not None and _drainer_process.poll() is not None:
        _drainer_process = None
    return _drainer_process is not None


def _seconds_until_next_due() -> float | None:
    """None if no row is pending; 0 if one is due now; else seconds until the earliest retry."""
    pending = PendingIndexUpdate.objects.aggregate(due=Min("retry_at"), any=Min("id"))
    if pending["any"] is None:
        return None
    if _due_rows().exists() or pending["due"] is None:
        return 0.0
    return max(0.0, (pending["due"] - timezone.now()).total_seconds())
