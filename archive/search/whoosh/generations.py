"""Index generations, the ``CURRENT`` pointer, and the one open index a process shares between its threads.

A bulk rebuild (``writing.replace_all``) adds every document to a new folder, ``generation-<n>/``, beside the live
index, and swaps it in by replacing the ``CURRENT`` pointer file atomically, under the cross-process writer lock.
Every process checks the pointer before searching or writing, and reopens: a concurrent search never sees an empty or
half-built index. Before the first rebuild the index is the configured folder itself.

Index files are read, not memory-mapped: Whoosh copies each part of a mapped segment into a buffer of its own
(``BytesIO`` of the map), so every worker held a private copy of the whole index (400 MB a worker at 20,000 reports);
read through the file, the pages stay in the kernel's cache, once for all workers.

Each index folder says which version of the analysis built its terms (``ANALYSIS``, written when the folder's index
is created): incremental writes add documents by the current analysis, but the terms already there stay as they were
made, so an index made by an older analysis is rebuilt (``needs_rebuild``; ``manage.py ensure_index`` does it).

Every cache a query can grow is bounded (``SharedIndex.cache_sizes`` lists them with their bounds; the README's
"Memory" table): the catalog's (``catalog.Catalog``), and Whoosh's own per-searcher cache of each term's IDF, which
Whoosh never empties while the searcher lives (ours lives until the index changes), so it is emptied past
``IDF_TERMS`` terms.

A lost index is said so: opening never creates an index silently. A missing or unreadable folder raises
``IndexUnavailable`` on search and write (the edges answer 503); only a rebuild, ``clear``, or a write told nothing
would be lost creates one: an empty index standing in for a deleted one would answer "no results" for every report.
"""

import os
import pickle
import shutil
import struct
import threading
import time
from contextlib import contextmanager

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage, StorageError
from whoosh.filedb.filetables import FileFormatError

from archive.errors import IndexUnavailable
from archive.search.whoosh import phrases, related, scoring
from archive.search.whoosh.analysis import ANALYSIS, MAX_CHARACTERS, TERM_INITIAL, word_spans, word_tokens
from archive.search.whoosh.catalog import Catalog

POINTER = "CURRENT"  # file in the index folder naming the live generation, once a bulk rebuild has run
ANALYSIS_FILE = "ANALYSIS"  # file in an index folder naming the analysis version that built its terms
GENERATION_PREFIX = "generation-"
# What a missing, truncated or overwritten index folder raises when Whoosh opens or refreshes it.
UNREADABLE = (whoosh_index.IndexError, StorageError, FileFormatError, OSError, EOFError, ValueError, struct.error,
              pickle.UnpicklingError)
IDF_TERMS = 10_000  # terms whose IDF a searcher keeps (Whoosh's _idf_cache), about 2 MB; then it starts again
WARMED_WORDS = 32  # words a new searcher scores before a search asks (SharedIndex.warm_words), the last used first
UNAVAILABLE_MESSAGE = "The search index is missing or unreadable; an administrator must run manage.py rebuild_index."


def storage(folder: str) -> FileStorage:
    """The files of one index folder, read rather than memory-mapped (see the module's doc)."""
    return FileStorage(folder, supports_mmap=False)


class SharedIndex:
    """One open Whoosh index, its long-lived searcher (with its facet catalog) and its write lock, shared by every
    backend instance (haystack makes one per thread) on the same folder.

    ``index`` is None while the folder holds no readable index. Searches hold ``read_lock`` for their whole length,
    so threads never share a searcher mid-search."""

    def __init__(self, root: str, schema):
        self.root, self.schema = root, schema
        self.read_lock = threading.RLock()
        self.write_lock = threading.RLock()
        self._searcher = None
        self._catalog = None
        self._segment_cache: dict = {}  # segment id -> what the catalog read from it (segments never change)
        self._analysis = None  # (open index, the analysis version that built it)
        self.generation, self.index = "", None
        try:
            self.generation, self.index = self._open()
        except UNREADABLE:
            pass  # said on the first search or write (IndexUnavailable)

    def _open(self):
        for attempt in range(5):
            directory, generation = current_generation(self.root)
            try:
                return generation, storage(directory).open_index(schema=self.schema)
            except UNREADABLE:
                # A rebuild swapped and removed that generation between reading the pointer and opening it.
                if attempt == 4 or current_generation(self.root)[1] == generation:
                    raise
        raise AssertionError("unreachable")

    def sync(self):
        """Reopen if another process (or this one) swapped in a new generation since."""
        if self.index is not None and current_generation(self.root)[1] == self.generation:
            return
        with self.read_lock, self.write_lock:
            if self.index is not None and current_generation(self.root)[1] == self.generation:
                return
            self.close()
            self._segment_cache = {}
            self.index = None
            try:
                self.generation, self.index = self._open()
            except UNREADABLE:
                pass  # current() says IndexUnavailable

    def current(self):
        """The open index, opened (again) if it was missing before; raises IndexUnavailable if it still is."""
        if self.index is None:
            try:
                self.generation, self.index = self._open()
            except UNREADABLE as exc:
                raise IndexUnavailable(UNAVAILABLE_MESSAGE) from exc
        return self.index

    @contextmanager
    def searching(self):
        """The current searcher and its catalog, refreshed if a writer committed since; held exclusively until the
        block ends."""
        with self.read_lock:
            try:
                self.sync()
                if self._searcher is None:
                    self._searcher = self.current().searcher(weighting=scoring.weighting())
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
            except UNREADABLE as exc:  # the folder was deleted or damaged under us
                self.close()
                self.index = None
                raise IndexUnavailable(UNAVAILABLE_MESSAGE) from exc
            if self._catalog is None or self._catalog.searcher is not self._searcher:
                before, self._catalog = self._catalog, Catalog(self._searcher, self._segment_cache)
                if before is not None:
                    self._catalog.to_warm = before.scores.recent_keys(WARMED_WORDS)
            if len(self._searcher._idf_cache) > IDF_TERMS:
                self._searcher._idf_cache.clear()  # the same dict is shared by its leaf searchers
            yield self._searcher, self._catalog

    def warm_words(self) -> int:
        """Score for the current searcher the words the one before it scored last (``WARMED_WORDS``), as Solr's
        autowarming does for its caches: a commit (an edit, an ingest, a merge) does not leave the next searches of
        common words to read their postings again. A word at a time, so searches go on in between; returns how many
        words were read."""
        with self.searching() as (_searcher, catalog):
            words, catalog.to_warm = catalog.to_warm, []
        warmed = 0
        for fieldname, word in words:
            with self.searching() as (searcher, current):
                if current is not catalog:  # another commit since: its own warming reads them
                    break
                phrases.word_scores_of(catalog, fieldname, word)
                if fieldname in searcher.schema:
                    catalog.matching(wq.Term(fieldname, searcher.schema[fieldname].from_bytes(word)))
                warmed += 1
        return warmed

    def cache_sizes(self) -> dict[str, tuple[int, int]]:
        """Each cache of this open index that queries grow: name -> (entries now, most entries it keeps)."""
        with self.read_lock:
            sizes = self._catalog.cache_sizes() if self._catalog is not None else {}
            if self._searcher is not None:
                sizes["searcher: IDF of each term (Whoosh)"] = (len(self._searcher._idf_cache), IDF_TERMS + 1)
            segments = max(1, len(self._catalog.leaves)) if self._catalog is not None else 1
            # per segment, per field: its values, its months, its date order both ways
            sizes["segment data: facet sets, months, date orders"] = (
                sum(len(kinds) for kinds in self._segment_cache.values()), segments * 4 * len(self.schema.names()))
            info = word_tokens.cache_info()
            sizes["analysis: term of a word"] = (info.currsize, info.maxsize)
            info = word_spans.cache_info()
            sizes["analysis: places of a word's tokens (snippets)"] = (info.currsize, info.maxsize)
            sizes["analysis: first letter of a word's terms (snippets)"] = (len(TERM_INITIAL), MAX_CHARACTERS)
            sizes.update(phrases.cache_sizes())
            sizes.update(related.cache_sizes())
            return sizes

    def is_available(self) -> bool:
        """Whether the folder holds a readable index (searches can be answered)."""
        try:
            with self.searching():
                return True
        except IndexUnavailable:
            return False

    def writable(self, create_missing: bool):
        """The index to write to; a missing one is created only when the caller says nothing would be lost."""
        with self.read_lock:
            if not self.is_available():
                if not create_missing:
                    raise IndexUnavailable(UNAVAILABLE_MESSAGE)
                self.close()
                self.index = self._create()
                self.generation = ""
            return self.current()

    def _create(self):
        """An empty index in the configured folder itself (a stale ``CURRENT`` pointer is dropped)."""
        os.makedirs(self.root, exist_ok=True)
        try:
            os.remove(os.path.join(self.root, POINTER))
        except FileNotFoundError:
            pass
        created = FileStorage(self.root).create_index(self.schema)
        mark_analysis(self.root)
        return created

    def has_current_analysis(self) -> bool:
        """Whether the open index was built by this code's analysis (so it holds the word pairs phrases are looked up
        in); read from its folder once per index opened."""
        index = self.current()
        if self._analysis is None or self._analysis[0] is not index:
            self._analysis = (index, analysis_of(current_generation(self.root)[0]))
        return self._analysis[1] == ANALYSIS

    def needs_rebuild(self) -> bool:
        """Whether the live index's terms were made by an older analysis than this code's (read from its folder each
        time: another process may have rebuilt it since)."""
        return analysis_of(current_generation(self.root)[0]) != ANALYSIS

    def close(self):
        with self.read_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._catalog = None


_shared: dict[str, SharedIndex] = {}
_shared_lock = threading.Lock()


def mark_analysis(folder: str) -> None:
    """Say in a new index folder that this code's analysis builds its terms."""
    with open(os.path.join(folder, ANALYSIS_FILE), "w") as marker:
        marker.write(f"{ANALYSIS}\n")


def analysis_of(folder: str) -> int:
    """The analysis version that built an index folder; 1 (haystack's own) for one made before versions were kept."""
    try:
        with open(os.path.join(folder, ANALYSIS_FILE)) as marker:
            return int(marker.read().strip() or 1)
    except (FileNotFoundError, ValueError):
        return 1


def shared_index(root: str, schema) -> SharedIndex:
    """This process's open index of a folder, opened on first use."""
    with _shared_lock:
        if root not in _shared:
            _shared[root] = SharedIndex(root, schema)
        return _shared[root]


def delete_folder(root: str) -> None:
    """The folder and every generation in it removed, this process's open index of it closed first."""
    with _shared_lock:
        shared = _shared.pop(root, None)
    if shared is not None:
        with shared.read_lock, shared.write_lock:  # always in this order (see SharedIndex.sync)
            shared.close()
            if os.path.exists(root):
                shutil.rmtree(root)
    elif os.path.exists(root):
        shutil.rmtree(root)


def current_generation(root: str) -> tuple[str, str]:
    """(folder of the live index, its generation name); "" when the index is the configured folder itself."""
    try:
        with open(os.path.join(root, POINTER), encoding="utf-8") as handle:
            name = handle.read().strip()
    except FileNotFoundError:
        return root, ""
    return os.path.join(root, name), name


def new_generation(root: str) -> tuple[str, str]:
    """(name, folder) of a new, empty generation folder beside the live index."""
    os.makedirs(root, exist_ok=True)
    generation = f"{GENERATION_PREFIX}{time.time_ns()}"
    folder = os.path.join(root, generation)
    os.makedirs(folder)
    return generation, folder


def swap_in(root: str, generation: str) -> None:
    """Make a generation the live one: the pointer is written beside, synced, and renamed over ``CURRENT``."""
    pointer = os.path.join(root, f".{POINTER}.{generation}")
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(generation)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, os.path.join(root, POINTER))  # atomic on POSIX


def remove_old_generations(root: str, keep: str) -> None:
    """After a swap: every other generation folder, and the index files of the configured folder itself (the index
    before the first bulk rebuild). Readers still holding them keep reading their open files until they reopen."""
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if name in (keep, POINTER):
            continue
        if name == ANALYSIS_FILE:  # the configured folder's own index is gone with its files below
            os.remove(path)
            continue
        if os.path.isdir(path) and name.startswith(GENERATION_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.isfile(path) and (name.endswith((".toc", ".seg", ".pst", ".trm", ".pdc", ".fvz", ".lck"))
                                       or name.startswith(("_MAIN_", "MAIN_", f".{POINTER}."))):
            os.remove(path)
