"""One writer at a time for the search index, across every process on the machine.

Whoosh lets one writer hold an index; gunicorn workers, ``ingest`` runs, the admin and ``rebuild_index`` are separate
processes. Whoever writes to the index (the drainer of pending updates, a bulk rebuild) first takes this lock: an
``flock`` on a file beside the index folder (beside, so it survives a rebuild swapping the folder). The kernel
releases it when its holder dies, so a killed process never leaves a stale lock behind (haystack issue 680). The
holder writes its process id into the file, so an operator (and a test) can see who wrote last.

Beside it, the **drain claim** (``claim_draining``): a shared ``flock`` that a process takes to say "I write the queue's
backlog, in bulk, before I exit" (``manage.py ingest``, ``manage.py drain_index``). Servers see it
(``is_claimed_elsewhere``) and leave the backlog to the claimant instead of indexing it inside a web worker.
"""

import fcntl
import os
import threading
from contextlib import contextmanager

from django.conf import settings

_in_process = threading.RLock()  # flock is per open file; threads of one process queue here first
_held = threading.local()  # a thread already holding the lock may take it again (nested writes)


def lock_path() -> str:
    index_path = settings.HAYSTACK_CONNECTIONS["default"].get("PATH") or os.path.join(settings.DATA_DIR, "index")
    return os.path.abspath(index_path).rstrip("/") + ".writer.lock"


@contextmanager
def index_writer_lock(blocking: bool = True):
    """Hold the index's writer lock for the block. With ``blocking=False`` yields False at once if another holds it
    (the caller then leaves the work to the holder) and True when taken."""
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield True
        finally:
            _held.depth -= 1
        return
    if not _in_process.acquire(blocking=blocking):
        yield False
        return
    try:
        path = lock_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            _held.depth = 1
            try:
                yield True
            finally:
                _held.depth = 0
                fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        _in_process.release()


def writer_holder() -> int | None:
    """The process id of the index writer lock's holder now (this process's, when one of its threads holds it; 0 for
    a holder that has not written its id yet), or None when no process holds it."""
    try:
        handle = open(lock_path())
    except FileNotFoundError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)  # conflicts with any holder's lock, ours included
        except BlockingIOError:
            pid = handle.read().strip()
            return int(pid) if pid.isdigit() else 0
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None


def claim_path() -> str:
    return lock_path().removesuffix(".writer.lock") + ".drainer.lock"


@contextmanager
def claim_draining():
    """Hold a drain claim for the block (shared: an ingest and a drainer process may both hold one); never waits
    long: a server converting its probe into a claim holds the file exclusively only for a moment."""
    path = claim_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def claim_for_a_new_process():
    """An open file holding a shared drain claim, for a process about to be started to inherit (``pass_fds``), or
    None if some process holds a claim already. Taken exclusively first, so two servers never both start one."""
    path = claim_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle = open(path, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def is_claimed_elsewhere() -> bool:
    """Whether another process holds a drain claim (this process holds none: servers never claim)."""
    handle = claim_for_a_new_process()
    if handle is None:
        return True
    handle.close()  # closing the last descriptor of the file releases the probe's lock
    return False
