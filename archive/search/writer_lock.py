"""One writer at a time for the search index, across every process on the machine.

Whoosh lets one writer hold an index; gunicorn workers, ``ingest`` runs, the admin and ``rebuild_index`` are separate
processes. Whoever writes to the index (the drainer of pending updates, a bulk rebuild) first takes this lock: an
``flock`` on a file beside the index folder (beside, so it survives a rebuild swapping the folder). The kernel
releases it when its holder dies, so a killed process never leaves a stale lock behind (haystack issue 680).
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
            _held.depth = 1
            try:
                yield True
            finally:
                _held.depth = 0
                fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        _in_process.release()
