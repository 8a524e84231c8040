"""A server process reads what searches need from its index before a request does: as it starts, and after each
change to the index.

The first search of a process reads, for every segment of the index, each facet's values, the months and date
orders and every report's field lengths (``whoosh/catalog.py``): about 4 s at 20,000 reports, paid by whichever
analyst asked first, once in each of the server's workers. And each segment an ingest or an edit adds is read the
same way by the first search that meets it (a tenth of a second to two seconds for a bulk segment of thousands of
reports). So ``start_warm_up`` runs the empty search with every facet in a thread as the process starts
(``archive/wsgi.py``), and again whenever the index holds something else (``engine.contents_version``, looked at
every ``WATCH_SECONDS``), as search servers warm a new searcher before it serves. It is a search like any other, so
any haystack engine answers it (one that does not name its contents is warmed once); a failure (an index not built
yet) only means the first search reads those itself. The archive's own engine then also scores again the words the
searches before the change scored last (Solr's autowarming of its caches): a merge or an ingest does not leave the
next searches of common words to read their postings again.
"""

import logging
import threading
import time

from django.db import connections

from archive.search import engine
from archive.search.params import SearchParams
from archive.search.run import run_search

log = logging.getLogger(__name__)

WATCH_SECONDS = 5.0  # how often a server process looks whether the index changed, to warm what is new


def start_warm_up() -> threading.Thread:
    """Warm this process's search engine in a daemon thread, and keep it warm; returns the thread."""
    thread = threading.Thread(target=_keep_warm, name="archive-search-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """The empty search, newest first, with every facet and the months: what the home and search pages ask; then the
    words the searches before the change scored last (``engine.warm_words``)."""
    try:
        run_search(SearchParams.from_query({}))
        engine.warm_words()
    except Exception:
        log.info("the search engine was not warmed; the first search reads what it needs", exc_info=True)


def warm_if_changed(warmed: str) -> str | None:
    """Warm up unless the index holds what was warmed last (``warmed``: its ``contents_version``, "" for nothing yet);
    returns what it holds now: its ``contents_version``, None for an engine that does not name its contents (warmed
    every time), or ``warmed`` again while the index cannot be read (no index yet)."""
    try:
        contents = engine.contents_version()
    except Exception:  # noqa: BLE001 - an index not built yet or unreadable: the next look, or the first search
        log.info("the search index could not be read; it is warmed once it can", exc_info=True)
        return warmed
    if contents is None or contents != warmed:
        warm_up()
    return contents


def _keep_warm() -> None:
    warmed = ""
    while warmed is not None:  # another engine is warmed once
        try:
            warmed = warm_if_changed(warmed)
        finally:
            connections.close_all()  # this thread's database connections
        time.sleep(WATCH_SECONDS)
