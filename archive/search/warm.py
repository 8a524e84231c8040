"""A server process reads what searches need from its index before its first request does.

The first search of a process reads, for every segment of the index, each facet's values, the months and date
orders and every report's field lengths (``whoosh/catalog.py``): about 4 s at 20,000 reports, paid by whichever
analyst asked first, once in each of the server's workers. ``start_warm_up`` runs the empty search with every facet
in a thread as the process starts (``archive/wsgi.py``), as search servers warm a new searcher before it serves. It
is a search like any other, so any haystack engine answers it; a failure (an index not built yet) only means the
first search reads those itself.
"""

import logging
import threading

from django.db import connections

from archive.search.params import SearchParams
from archive.search.run import run_search

log = logging.getLogger(__name__)


def start_warm_up() -> threading.Thread:
    """Warm this process's search engine in a daemon thread; returns the thread."""
    thread = threading.Thread(target=_warm_up_in_thread, name="archive-search-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """The empty search, newest first, with every facet and the months: what the home and search pages ask."""
    try:
        run_search(SearchParams.from_query({}))
    except Exception:
        log.info("the search engine was not warmed; the first search reads what it needs", exc_info=True)


def _warm_up_in_thread() -> None:
    try:
        warm_up()
    finally:
        connections.close_all()  # this thread's database connections
