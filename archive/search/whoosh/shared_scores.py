"""A common word's scores, shared by the server's processes through Django's ``scores`` cache.

Each gunicorn worker keeps the scores of the words its searches scored (``Catalog.scores``), but the first search of a
common word in each worker read the word's postings again: about 20 ms for a word in 20,000 reports, 100 ms at
100,000, paid four times with four workers, and again after every change to the index. So the first worker to score
a common word leaves its scores in the ``scores`` cache (``archive/settings.py``: files in the data folder, bounded
in entries; Redis or memcached would share them between machines), and the others read them back: two arrays, 12
bytes a posting, instead of every posting block of every segment.

Scores hold for one content of the index: BM25 reads the number of reports, the word's document frequency and the
reports' lengths. So the key names the catalog's contents (its segments, random ids, with their live reports: a
change of the index gives another name in every process) and the scoring's parameters, besides the word. Words in
fewer than ``SHARED_AT_LEAST`` reports cost less to score than to read back and are not shared. A cache that fails
(a full disk, an unreadable file) only means the word is scored here.
"""

import hashlib
import logging
from array import array

from django.core.cache import caches

from archive.search.whoosh import scoring

SHARED_AT_LEAST = 5_000  # postings: a word's scores are shared from this many
CACHE = "scores"  # the alias in settings.CACHES
KEPT_SECONDS = 24 * 3600  # a content of the index seldom lasts a day on a live archive; a stale name is never asked
FORMAT = 1  # of the value below: ids as array "I", scores as array "d", their bytes

log = logging.getLogger(__name__)


def read(catalog, fieldname: str, word: bytes) -> tuple[array, array] | None:
    """(documents, scores) another process left for this catalog's contents, or None (without asking the cache for
    a word in too few reports to have been shared: most words a search scores)."""
    if catalog.searcher.doc_frequency(fieldname, word) < SHARED_AT_LEAST:
        return None
    try:
        value = caches[CACHE].get(_key(catalog, fieldname, word))
    except Exception:  # noqa: BLE001 - a cache that cannot be read: the word is scored here
        log.warning("the shared scores could not be read", exc_info=True)
        return None
    if value is None:
        return None
    ids, scores = array("I"), array("d")
    ids.frombytes(value[0])
    scores.frombytes(value[1])
    return (ids, scores) if len(ids) == len(scores) else None


def share(catalog, fieldname: str, word: bytes, kept: tuple[array, array]) -> None:
    """Leave a word's scores for the other processes, if it is common enough to be worth it."""
    if len(kept[0]) < SHARED_AT_LEAST:
        return
    try:
        caches[CACHE].set(_key(catalog, fieldname, word), (kept[0].tobytes(), kept[1].tobytes()), KEPT_SECONDS)
    except Exception:  # noqa: BLE001 - a full disk: the others score it themselves
        log.warning("the shared scores could not be written", exc_info=True)


def _key(catalog, fieldname: str, word: bytes) -> str:
    """Hashed: the contents name every segment, and a cache key may not run long (memcached's limit is 250)."""
    named = f"{FORMAT}|{scoring.K1}|{scoring.B}|{catalog.contents}|{fieldname}|{word.hex()}"
    return "word-scores:" + hashlib.sha256(named.encode()).hexdigest()
