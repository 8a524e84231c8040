"""The archive's Whoosh backend for haystack: the only module that imports Whoosh.

What it changes in haystack's ``WhooshSearchBackend`` and why:

- **Schema**: haystack's ``Facet*Field``s (see ``archive.search_indexes``) are stored whole (``ID`` with a column, or a
  comma-separated ``KEYWORD`` with a list column for several values), so "Daily NK" comes back as ``daily-nk``, not as
  the stemmed tokens ``daili`` and ``nk``; dates are sortable columns. Only what a result row reads is stored (the
  text, for snippets, and the title); text fields get no column and no separate spelling field (each was a second
  copy of every body), which halves the index and the time to build it.
- **Facets** are counted from a ``Catalog`` kept with the searcher: each facet value's documents as a Python-int
  bitset (``archive.search.docsets``), built from the columns once per index generation. A search computes the set of
  its matches once, intersects it with the filters' sets, and counts each value by one ``&`` and ``bit_count()``: no
  Python step per matching document per facet, so a word found in every report costs as little to facet as a rare
  one. Limits are honoured, date buckets (months, years) are in date order, no ``None``. Disjunctive facets are
  separate searches (``archive.search.facets``) that reuse the cached sets of the query and of each filter.
- **Listing by date** (the empty query, and any search sorted newest or oldest) walks the catalog's date order of the
  documents and picks the matched ones: no scoring, undated articles last in both directions. Ranked searches let
  Whoosh score only the top of the page, limited to the matched set when filters narrow it.
- **One long-lived searcher** per index, shared by every thread and refreshed when the index changes, instead of a
  searcher (and its file opening) per call; searches hold a lock, so runserver's threads never share one mid-search.
- **Index files are read, not memory-mapped**: Whoosh copies each part of a mapped segment into a buffer of its own
  (``BytesIO`` of the map), so every worker held a private copy of the whole index (400 MB a worker at 20,000
  reports); read through the file, the pages stay in the kernel's cache, once for all workers.
- **Generations**: a bulk rebuild (``replace_all``, used by ``rebuild_index``/``update_index``) adds every document
  to a new folder beside the live index (one segment per indexing process), and swaps it in by replacing the
  ``CURRENT`` pointer file atomically, under the cross-process writer lock; every process checks the pointer before
  searching or writing, and reopens. A concurrent search never sees an empty or half-built index.
- **Relevance**: words without a field are looked for in the text and in the title, with the title's boost.
- **Spelling** is suggested only when asked (``SearchQuerySet.spelling_suggestion``), never on every search.
- **Snippets**: short fragments of the stored plain text with matched terms (stemmed and prefix-expanded forms
  included) in ``<mark>``, in ``SearchResult.highlighted["text"]``, for the page's results only.
- **Writes** hold the cross-process writer lock (``archive.search.writer_lock``) and Whoosh's own lock, add
  documents not yet indexed with ``add_document`` (Whoosh's ``update_document`` opens a searcher per document), and
  delete the replaced ones through one searcher; ``archive.search.indexing`` feeds them from one queue so requests
  never write. A write of many documents (a backlog, a rebuild) is analysed by one process per core (Whoosh's
  ``MpWriter``), each writing its own segment, and is checked to hold every document it was given. Only small
  segments are merged (``merge_small_segments``): merging costs as much as indexing again.
- **Phrases and NOT** read every candidate document (positions, the excluded part): their matches and their ranking
  come from one pass of the matcher, not one for the facet counts and another for the ranking.
- **Only what the archive asks haystack for** is answered: a sort by anything but one date field, date facets not by
  month or year, query facets and clearing by model raise NotImplementedError.
- **A lost index is said so**: opening never creates an index silently. A missing or unreadable index folder raises
  ``IndexUnavailable`` on search and write (the edges answer 503), and only a rebuild (``replace_all``, ``clear``) or
  a write told nothing would be lost creates one: an empty index standing in for a deleted one would answer "no
  results" for every report in the database.
"""

import datetime
import heapq
import html
import os
import pickle
import re
import shutil
import struct
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_str
from haystack.backends import EmptyResults, log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.fields import FacetField
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh import columns
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import DATETIME, KEYWORD, TEXT
from whoosh.filedb.filestore import StorageError
from whoosh.filedb.filetables import FileFormatError
from whoosh.fields import ID as WHOOSH_ID
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
from whoosh.searching import Results
from whoosh.support.levenshtein import damerau_levenshtein as distance
from whoosh.support.relativedelta import relativedelta

from archive.errors import IndexUnavailable, IndexWriteLost
from archive.search import docsets
from archive.search.writer_lock import index_writer_lock

MAX_EDITS = 2  # a suggested word differs from the typed one by at most this many edits (of their stems)
SNIPPET_CHARS = 160  # each fragment; two fragments at most
TITLE_QUERY_BOOST = 0.5  # see ArchiveWhooshBackend.setup
POINTER = "CURRENT"  # file in the index folder naming the live generation, once a bulk rebuild has run
GENERATION_PREFIX = "generation-"
BUILD_MEMORY_MB = 256  # Whoosh's buffer while a bulk rebuild adds documents (fewer, larger runs to merge)
# Writes of many documents are analysed by settings.ARCHIVE_INDEXING_PROCESSES processes at once (Whoosh's MpWriter),
# each writing its own segment: analysis is pure Python, so one process per core is the only way past one core's speed.
PARALLEL_MIN_DOCUMENTS = 1000  # below this, starting the processes costs more than it saves
DOCUMENTS_PER_JOB = 250  # documents handed to an indexing process at a time
# Merging segments is as slow as indexing them again (about 4 ms a document, in one process), so a write merges only
# small segments (single articles from uploads and edits), once MERGE_FACTOR of them are waiting; the segments of bulk
# writes stay as written until rebuild_index, which writes one per indexing process.
MERGE_FACTOR = 10
SMALL_SEGMENT = 1000  # live documents
WRITE_LOCK_TIMEOUT = 120.0  # seconds to wait for another process's Whoosh lock (e.g. update_index) before failing
# What a missing, truncated or overwritten index folder raises when Whoosh opens or refreshes it.
UNREADABLE = (whoosh_index.IndexError, StorageError, FileFormatError, OSError, EOFError, ValueError, struct.error,
              pickle.UnpicklingError)
UNAVAILABLE_MESSAGE = "The search index is missing or unreadable; an administrator must run manage.py rebuild_index."


class KeywordList(KEYWORD):
    """Several whole values (comma-separated when indexed) with a column of lists, so Whoosh's overlapping facet
    reads each document's values from the column instead of rebuilding them from every posting list per search."""

    def __init__(self, stored=True, **kwargs):
        super().__init__(stored=stored, commas=True, **kwargs)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        values = value.split(",") if isinstance(value, str) else value
        return [v.strip().encode("utf-8") for v in values if v and v.strip()]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]


class MarkFormatter(HtmlFormatter):
    """``<mark>term</mark>``, no classes: the page styles <mark>, and ``clean_snippet`` keeps nothing else."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


class SharedIndex:
    """One open Whoosh index, its long-lived searcher (with its facet catalog) and its write lock, shared by every
    backend instance (haystack makes one per thread) on the same path.

    On disk the index is either the configured folder itself, or the generation named by the folder's ``CURRENT``
    file (``generation-<n>/`` inside it), which a bulk rebuild writes beside the live one and swaps in by replacing
    ``CURRENT`` atomically. Every search and write first checks that pointer, so processes that did not rebuild
    reopen the new generation, and no search ever sees an empty or half-built index. ``index`` is None while the
    folder holds no readable index."""

    def __init__(self, opener, root):
        self._opener = opener  # directory -> whoosh Index
        self.root = root
        self.read_lock = threading.RLock()
        self.write_lock = threading.RLock()
        self._searcher = None
        self._catalog = None
        self._segment_cache: dict = {}  # segment id -> what the catalog read from it (segments never change)
        self.generation, self.index = "", None
        try:
            self.generation, self.index = self._open()
        except UNREADABLE:
            pass  # said on the first search or write (IndexUnavailable)

    def _open(self):
        for attempt in range(5):
            directory, generation = current_generation(self.root)
            try:
                return generation, self._opener(directory)
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
                    self._searcher = self.current().searcher()
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
            except UNREADABLE as exc:  # the folder was deleted or damaged under us
                self.close()
                self.index = None
                raise IndexUnavailable(UNAVAILABLE_MESSAGE) from exc
            if self._catalog is None or self._catalog.searcher is not self._searcher:
                self._catalog = Catalog(self._searcher, self._segment_cache)
            yield self._searcher, self._catalog

    def close(self):
        with self.read_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._catalog = None


def current_generation(root: str) -> tuple[str, str]:
    """(folder of the live index, its generation name); "" when the index is the configured folder itself."""
    try:
        with open(os.path.join(root, POINTER), encoding="utf-8") as handle:
            name = handle.read().strip()
    except FileNotFoundError:
        return root, ""
    return os.path.join(root, name), name


class Catalog:
    """What one searcher generation knows without scoring: each facet value's set of documents (``docsets``), the
    live documents, the order by date, the documents of each month, and recent filter and query sets. A search then
    counts a facet value by one ``&`` and ``bit_count()``.

    Built lazily from the columns and kept per segment (``segment_cache``, shared across generations): segments never
    change, so after a commit only the new, small segment is read, and the sets of the others are shifted into place.
    Deletions only change ``live``, which every set is intersected with."""

    CACHED_SETS = 128
    RANKED_KEPT = 1000  # best matches kept from a one-pass match and rank (50 pages of 20)

    def __init__(self, searcher, segment_cache: dict | None = None):
        self.searcher = searcher
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.leaves = [(leaf, offset, _segment_id(leaf)) for leaf, offset in reader.leaf_readers()]
        self._segments = {} if segment_cache is None else segment_cache
        current = {segid for _, _, segid in self.leaves}
        for segid in [segid for segid in self._segments if segid not in current]:
            del self._segments[segid]
        self.live = 0
        for leaf, offset, _ in self.leaves:
            count = leaf.doc_count_all()
            bits = (1 << count) - 1
            if leaf.has_deletions():
                segment = leaf.segment()
                deleted = segment.deleted_docs() if segment is not None else (
                    docnum for docnum in range(count) if leaf.is_deleted(docnum))
                bits &= ~docsets.from_docnums(deleted, count)
            self.live |= bits << offset
        self._values: dict[str, dict[str, int]] = {}
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._months: dict[str, dict[tuple[int, int], int]] = {}
        self._sets: dict[str, int] = {}
        self._ranked: dict[tuple, tuple[int | None, list]] = {}
        self._lock = threading.Lock()

    def values(self, fieldname: str) -> dict[str, int]:
        """Each value of a column field -> its live documents."""
        if fieldname not in self._values:
            self._values[fieldname] = self._merged(("values", fieldname), lambda leaf: _grouped(
                leaf, fieldname, lambda value: [_text(one) for one in (value if isinstance(value, list) else (value,))
                                                if one not in (None, "", b"")]))
        return self._values[fieldname]

    def months(self, fieldname: str) -> dict[tuple[int, int], int]:
        """(year, month) -> live documents dated in it."""
        if fieldname not in self._months:
            field = self.searcher.schema[fieldname]
            missing = field.column_type._default

            def month(raw):
                if raw == missing:
                    return ()
                when = field.from_column_value(raw)
                return ((when.year, when.month),)

            self._months[fieldname] = self._merged(("months", fieldname), lambda leaf: _grouped(
                leaf, fieldname, month, translate=False))
        return self._months[fieldname]

    def order(self, fieldname: str, reverse: bool) -> list[int]:
        """Live documents by a date column (newest first if ``reverse``), those without a date last either way, ties
        in document order."""
        key = (fieldname, reverse)
        if key not in self._orders:
            missing = self.searcher.schema[fieldname].column_type._default
            sign = -1 if reverse else 1
            runs = []
            for leaf, offset, segid in self.leaves:
                local = self._segment_data(leaf, segid, ("order", fieldname, reverse), lambda leaf=leaf: sorted(
                    (value == missing, sign * value, docnum) for docnum, value in _column(leaf, fieldname, missing)))
                runs.append([(is_missing, value, offset + docnum) for is_missing, value, docnum in local]
                            if offset else local)
            ordered = runs[0] if len(runs) == 1 else heapq.merge(*runs)
            live = docsets.as_bytes(self.live)
            self._orders[key] = [docnum for _, _, docnum in ordered if docsets.contains(live, docnum)]
        return self._orders[key]

    def _merged(self, kind: tuple, build) -> dict:
        """Per-segment sets (built by ``build(leaf)`` once per segment) shifted into document numbers and combined."""
        merged: dict = {}
        for leaf, offset, segid in self.leaves:
            for value, bits in self._segment_data(leaf, segid, kind, lambda leaf=leaf: build(leaf)).items():
                merged[value] = merged.get(value, 0) | (bits << offset)
        return {value: bits & self.live for value, bits in merged.items()}

    def _segment_data(self, leaf, segid, kind: tuple, build):
        if segid is None:
            return build()
        cached = self._segments.setdefault(segid, {})
        if kind not in cached:
            cached[kind] = build()
        return cached[kind]

    def matching(self, query) -> int:
        """The live documents matching a query: column sets for terms of facet fields, else the query's documents
        (kept for the next searches of this generation: paging and facet choices repeat the query)."""
        if isinstance(query, wq.Every):
            return self.live
        if isinstance(query, wq.Term) and self._has_values(query.fieldname):
            return self.values(query.fieldname).get(_text(query.text), 0)
        checks_each = _checks_each_match(query)  # then matched and ranked as a whole, in one pass
        if isinstance(query, wq.Or) and query.subqueries and not getattr(query, "minmatch", 0) and not checks_each:
            found = 0
            for part in query.subqueries:
                found |= self.matching(part)
            return found
        if isinstance(query, wq.And) and query.subqueries and not checks_each:
            found = self.live
            for part in query.subqueries:
                found &= self.matching(part)
            return found
        key = repr(query)
        with self._lock:
            if key in self._sets:
                self._sets[key] = self._sets.pop(key)  # most recently used last
                return self._sets[key]
        if checks_each:
            found, best = self._match_and_rank(query)
        else:
            found, best = docsets.from_docnums(self.searcher.docs_for_query(query), self.size) & self.live, None
        if best is not None:
            self._keep_ranking(_ranking_key(query, None), None if len(best) < self.RANKED_KEPT else self.RANKED_KEPT,
                               best)
        with self._lock:
            self._sets[key] = found
            while len(self._sets) > self.CACHED_SETS:
                self._sets.pop(next(iter(self._sets)))
        return found

    def _match_and_rank(self, query) -> tuple[int, list[tuple[float, int]]]:
        """The live documents matching a query and the best RANKED_KEPT of them, in one pass of its matcher: for a
        phrase every candidate's positions are read, which is the whole cost, so they are read once, not once for
        the set and again for the ranking."""
        live = docsets.as_bytes(self.live)
        context = self.searcher.context()
        scored = []
        for subsearcher, offset in self.searcher.leaf_searchers():
            matcher = query.matcher(subsearcher, context)
            while matcher.is_active():
                docnum = offset + matcher.id()
                if docsets.contains(live, docnum):
                    scored.append((matcher.score(), docnum))
                matcher.next()
        found = docsets.from_docnums((docnum for _, docnum in scored), self.size)
        return found, heapq.nsmallest(self.RANKED_KEPT, scored, key=lambda item: (-item[0], item[1]))

    def best_within(self, query, within: int, limit: int | None) -> list[tuple[float, int]] | None:
        """The best ``limit`` matches of a query within a set, from its kept ranking if that ranking reaches far
        enough; None if the query must be scored again."""
        with self._lock:
            cached = self._ranked.get(_ranking_key(query, None))
        if cached is None:
            return None
        kept, top = cached
        inside = docsets.as_bytes(within)
        best = [(score, docnum) for score, docnum in top if docsets.contains(inside, docnum)]
        if kept is None or (limit is not None and len(best) >= limit):
            return best if limit is None else best[:limit]
        return None

    def ranked(self, query_and_filter: tuple, limit: int | None, rank) -> list[tuple[float, int]]:
        """The best ``limit`` (score, document number) of a query within a filter, from ``rank()`` or from an earlier,
        at least as long, ranking of this generation."""
        key = _ranking_key(*query_and_filter)
        with self._lock:
            cached = self._ranked.get(key)
        if cached is not None and (cached[0] is None or (limit is not None and cached[0] >= limit)):
            return cached[1] if limit is None else cached[1][:limit]
        top = list(rank())
        self._keep_ranking(key, limit, top)
        return top

    def _keep_ranking(self, key: tuple, reach: int | None, top: list[tuple[float, int]]) -> None:
        """Keep a ranking that reaches ``reach`` matches (None: all of them), dropping the least recently kept."""
        with self._lock:
            self._ranked[key] = (reach, top)
            while len(self._ranked) > self.CACHED_SETS:
                self._ranked.pop(next(iter(self._ranked)))

    def _has_values(self, fieldname: str) -> bool:
        field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
        return field is not None and isinstance(field, (WHOOSH_ID, KeywordList)) and bool(field.column_type)


_shared: dict[str, SharedIndex] = {}
_shared_lock = threading.Lock()


class ArchiveWhooshBackend(WhooshSearchBackend):
    def setup(self):
        """Build the schema and attach to the shared index of this path (opened or created once per process)."""
        from haystack import connections

        if not self.use_file_storage:
            raise ImproperlyConfigured("The archive's Whoosh index lives in a folder (PATH); STORAGE must be 'file'.")
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        # Words without a field are looked for in the text (which holds the title too) and in the title again, so a
        # match in the title outranks one in the body. TITLE_QUERY_BOOST was tuned on Cranfield (bench/cranfield.py):
        # MAP 0.2978 at 1.0, 0.3018 at 0.5 -- the text field already counts the title once.
        default_fields = [self.content_field_name, *(["title"] if "title" in self.schema else [])]
        self.parser = MultifieldParser(default_fields, schema=self.schema, fieldboosts={"title": TITLE_QUERY_BOOST})
        self.parser.add_plugins([FuzzyTermPlugin])
        key = self._shared_key()
        with _shared_lock:
            if key not in _shared:
                _shared[key] = SharedIndex(self._open_index, key)
            self.shared = _shared[key]
        self.setup_complete = True

    def _shared_key(self) -> str:
        return os.path.abspath(self.path)

    @property
    def index(self):
        return self.shared.current()

    def _open_index(self, directory):
        """The existing index in this folder, never created."""
        from whoosh.filedb.filestore import FileStorage

        return FileStorage(directory, supports_mmap=False).open_index(schema=self.schema)  # see the module's doc

    def _create_index(self):
        """An empty index in the configured folder itself (a stale ``CURRENT`` pointer is dropped)."""
        from whoosh.filedb.filestore import FileStorage

        root = self._shared_key()
        os.makedirs(root, exist_ok=True)
        try:
            os.remove(os.path.join(root, POINTER))
        except FileNotFoundError:
            pass
        return FileStorage(root).create_index(self.schema)
    def is_available(self) -> bool:
        """Whether the index folder holds a readable index (searches can be answered)."""
        if not self.setup_complete:
            self.setup()
        try:
            with self.shared.searching():
                return True
        except IndexUnavailable:
            return False

    def stored_documents(self) -> list[dict]:
        """Every document's stored fields (``index_check`` compares them with the database)."""
        if not self.setup_complete:
            self.setup()
        with self.shared.searching() as (searcher, _catalog):
            return list(searcher.all_stored_fields())

    def _writable(self, create_missing: bool):
        """The index to write to; a missing one is created only when the caller says nothing would be lost."""
        with self.shared.read_lock:
            if not self.is_available():
                if not create_missing:
                    raise IndexUnavailable(UNAVAILABLE_MESSAGE)
                self.shared.close()
                self.shared.index = self._create_index()
                self.shared.generation = ""
            return self.shared.current()

    def build_schema(self, fields):
        """Haystack's schema, with facet fields whole and date fields sortable, and nothing in the index that no
        result row reads: fields are stored only if their index field says so, and text fields get no column (haystack
        makes every text field sortable, a second copy of each body)."""
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if isinstance(field, FacetField):
                schema.remove(name)
                if field.is_multivalued:
                    schema.add(name, KeywordList(stored=field.stored))
                else:
                    schema.add(name, WHOOSH_ID(stored=field.stored, sortable=True))
            elif field.field_type in ("date", "datetime"):
                schema.remove(name)
                schema.add(name, DATETIME(stored=field.stored, sortable=True))
            elif isinstance(schema[name], TEXT):
                schema[name].column_type = None
        # No separate field of unstemmed words for spelling (it doubled the postings written): suggestions, asked for
        # weak queries only, are read from the stemmed words and a document that holds them (see _suggest).
        schema[content_field_name].spelling = False
        return content_field_name, schema

    # Writing -------------------------------------------------------------------------------------------------------

    def prepare_documents(self, index, objects) -> list[dict]:
        """Index documents for model objects (this reads the database, so callers do it in their own thread)."""
        documents = []
        for obj in objects:
            try:
                prepared = index.full_prepare(obj)
            except SkipDocument:
                continue
            prepared.pop("boost", None)
            documents.append({key: self._from_python(value) for key, value in prepared.items() if value is not None})
        return documents

    def write(self, documents: list[dict], removed_ids: tuple[str, ...] = (), create_missing: bool = False) -> None:
        """Add or replace documents and delete others in one commit, in the live generation, holding the
        cross-process writer lock (so a rebuild in progress finishes and swaps first). Documents not yet in the index
        are added without Whoosh's per-document delete (``update_document`` looks each one up). Raises
        IndexUnavailable if the index is missing (unless ``create_missing``) or unreadable."""
        if not self.setup_complete:
            self.setup()
        if not documents and not removed_ids:
            return
        with index_writer_lock():
            self.shared.sync()
            self._write(documents, removed_ids, create_missing)

    def _write(self, documents, removed_ids, create_missing: bool) -> None:
        with self.shared.write_lock:
            index = self._writable(create_missing)
            writer = self._writer(index, len(documents) >= PARALLEL_MIN_DOCUMENTS, timeout=WRITE_LOCK_TIMEOUT)
            try:
                with writer.searcher() as searcher:
                    reader = searcher.reader()
                    expected = reader.doc_count() + len(documents)
                    for identifier in (*removed_ids, *(document[ID] for document in documents)):
                        if (ID, identifier) in reader:
                            expected -= writer.delete_by_query(wq.Term(ID, identifier), searcher=searcher)
                for document in documents:
                    writer.add_document(**document)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=merge_small_segments)
            _check_count(index, expected)

    def _writer(self, index, parallel: bool, **options):
        """A writer; for many documents (``parallel``) in a file index, Whoosh's multi-process writer, each process
        writing its own segment, kept as they are (merging them again would be serial work as long as the analysis)."""
        processes = settings.ARCHIVE_INDEXING_PROCESSES
        if parallel and processes > 1:
            return index.writer(procs=processes, multisegment=True, batchsize=DOCUMENTS_PER_JOB, **options)
        return index.writer(**options)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        # update_index writes every document it is given: creating a missing index loses nothing.
        self.write(self.prepare_documents(index, iterable), create_missing=True)

    def remove(self, obj_or_string, commit=True):
        self.write([], (get_identifier(obj_or_string),))

    def replace_all(self, document_batches: Iterable[list[dict]]) -> int:
        """Build a new generation of the whole index from these documents beside the live one (``add_document`` only,
        one segment per indexing process), then swap it in by replacing the ``CURRENT`` pointer atomically and remove the old
        generations. Holds the writer lock throughout, so updates queued meanwhile are written after the swap, into the
        new generation. Returns the number of documents. Searches meanwhile see the old index, complete."""
        if not self.setup_complete:
            self.setup()
        with index_writer_lock():
            from whoosh.filedb.filestore import FileStorage

            root = self._shared_key()
            os.makedirs(root, exist_ok=True)
            generation = f"{GENERATION_PREFIX}{time.time_ns()}"
            folder = os.path.join(root, generation)
            os.makedirs(folder)
            try:
                built = FileStorage(folder).create_index(self.schema)
                writer = self._writer(built, parallel=True, limitmb=BUILD_MEMORY_MB)
                count = 0
                try:
                    for batch in document_batches:
                        for document in batch:
                            writer.add_document(**document)
                            count += 1
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
                _check_count(built, count)
                built.close()
                pointer = os.path.join(root, f".{POINTER}.{generation}")
                with open(pointer, "w", encoding="utf-8") as handle:
                    handle.write(generation)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(pointer, os.path.join(root, POINTER))  # the swap: atomic on POSIX
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            self.shared.sync()  # after the swap, outside the write lock: sync takes the read lock first
            _remove_old_generations(root, keep=generation)
            return count

    def clear(self, models=None, commit=True):
        """An empty index in place of the folder and its generations."""
        if models is not None:
            raise NotImplementedError("The index holds articles only: it is cleared whole, or replaced by "
                                      "rebuild_index.")
        self.delete_index()

    def delete_index(self):
        key = self._shared_key()
        with _shared_lock:
            shared = _shared.pop(key, None)
        if shared is not None:
            with shared.read_lock, shared.write_lock:  # always in this order (see SharedIndex.sync)
                shared.close()
                if os.path.exists(self.path):
                    shutil.rmtree(self.path)
        elif os.path.exists(self.path):
            shutil.rmtree(self.path)
        self.setup()
        with self.shared.write_lock:
            self._writable(create_missing=True)  # an empty index: cleared, not lost

    def optimize(self):
        raise NotImplementedError("Not used: bulk segments stay as written and small ones are merged on commit "
                                  "(merge_small_segments).")

    def _from_python(self, value):
        """Aware datetimes as naive UTC, which is what Whoosh's DATETIME stores."""
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return super()._from_python(value)

    # Searching -----------------------------------------------------------------------------------------------------

    @log_query
    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="", highlight=False,
               facets=None, date_facets=None, query_facets=None, narrow_queries=None, spelling_query=None,
               within=None, dwithin=None, distance_point=None, models=None, limit_to_registered_models=None,
               result_class=None, **kwargs):
        if not self.setup_complete:
            self.setup()
        if query_facets:
            raise NotImplementedError("Query facets are not used: the archive's facets are field and date facets.")
        query_string = force_str(query_string).strip()
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        if not query_string:
            return empty
        # "*" (haystack's match-all) is every document, not every term of the default fields (which costs seconds).
        parsed = wq.Every() if query_string in ("*", "*:*") else self.parser.parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return empty
        start_offset = start_offset or 0
        limit = None if end_offset is None else max(end_offset, start_offset + 1)
        order = self._date_order(sort_by)
        narrowing = self._narrowing(narrow_queries, models, limit_to_registered_models)
        with self.shared.searching() as (searcher, catalog):
            matched = catalog.matching(parsed)
            if narrowing is not None:
                matched &= catalog.matching(narrowing)
            if not matched or end_offset == 0:  # end_offset 0: counts only (facets.py's facet-only searches)
                results, hits = None, []
            elif order is None and not isinstance(parsed, wq.Every) and narrowing is not None:
                # Ranked within filters: only the documents left are scored (Whoosh's filtered search would step
                # through every match of the query and test each against the filter).
                top = catalog.ranked((parsed, narrowing), limit, lambda: catalog.best_within(parsed, matched, limit)
                                     or _scored(searcher, parsed, docsets.docnums(matched), limit))[start_offset:]
                results = Results(searcher, parsed, top)
                hits = [results[position] for position in range(len(top))]
            elif order is None and not isinstance(parsed, wq.Every):
                # Ranked: Whoosh scores the top of the query, skipping blocks that cannot reach it; the top is kept
                # for this generation, so the next page or a repeated search does not rank again.
                top = catalog.ranked((parsed, None), limit, lambda: searcher.search(parsed, limit=limit).top_n)[
                    start_offset:]
                results = Results(searcher, parsed, top)
                hits = [results[position] for position in range(len(top))]
            else:
                # Listed by date (or, for everything unsorted, by document number): read from the column, no scoring.
                page = _page_in_order(catalog.order(*order) if order else docsets.docnums(catalog.live), matched,
                                      start_offset, limit)
                results = Results(searcher, parsed, [(0.0, docnum) for docnum in page])
                hits = [results[position] for position in range(len(page))]
            highlight = highlight and not isinstance(parsed, wq.Every)
            if highlight and results is not None:
                results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
                results.formatter = MarkFormatter()
            return {
                "results": self._results(hits, result_class, highlight),
                "hits": matched.bit_count(),
                "facets": {
                    "fields": self._field_counts(catalog, matched, facets or {}),
                    "dates": self._date_counts(catalog, matched, date_facets or {}),
                    "queries": {},
                },
                "spelling_suggestion": self._suggest(searcher, spelling_query) if spelling_query else None,
            }

    def _date_order(self, sort_by):
        """None for relevance, else (date field, newest first?): the archive sorts by one date field or not at all."""
        if not sort_by:
            return None
        name = sort_by[0].lstrip("-")
        if len(sort_by) != 1 or not (name in self.schema and isinstance(self.schema[name], DATETIME)):
            raise NotImplementedError(f"Sorting by {', '.join(sort_by)} is not used: only by one date field.")
        return name, sort_by[0].startswith("-")

    def _field_counts(self, catalog, matched: int, facets: dict) -> dict:
        """Haystack's field facets: (value, count) by count then value, within the limit and mincount; a value's
        count is its set of documents intersected with the matches."""
        counts = {}
        for name, options in facets.items():
            options = options or {}
            mincount = max(1, int(options.get("mincount", 1) or 1))
            items = [(value, n) for value, bits in catalog.values(name).items()
                     if (n := (bits & matched).bit_count()) >= mincount]
            items.sort(key=lambda item: (-item[1], item[0]))
            limit = int(options.get("limit", -1) or -1)
            counts[name] = items if limit < 0 else items[:limit]
        return counts

    def _date_counts(self, catalog, matched: int, date_facets: dict) -> dict:
        """Haystack's date facets by months or years from the first of a month: (bucket start, count) in date order,
        empty buckets left out."""
        counts = {}
        for name, spec in date_facets.items():
            start, end = _as_datetime(spec["start_date"]), _as_datetime(spec["end_date"])
            if spec.get("gap_by") not in ("month", "year") or (start.day, start.time()) != (1, datetime.time()):
                raise NotImplementedError("Date facets are counted by months or years from the first of a month; the "
                                          "archive asks for nothing else.")
            gap = relativedelta(**{f"{spec['gap_by']}s": spec.get("gap_amount", 1)})
            months = catalog.months(name)
            buckets = []
            while start < end:
                stop = min(start + gap, end)
                bits = 0
                for (year, month), month_bits in months.items():
                    if start <= datetime.datetime(year, month, 1) < stop:
                        bits |= month_bits
                if n := (bits & matched).bit_count():
                    buckets.append((start, n))
                start = stop
            counts[name] = buckets
        return counts

    def _narrowing(self, narrow_queries, models, limit_to_registered_models):
        """The filter of a search: the models and every narrow query, AND-ed (filters do not score)."""
        if models:
            model_choices = sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in models)
        elif limit_to_registered_models is not False:
            model_choices = self.build_models_list()
        else:
            model_choices = []
        parts = []
        if model_choices and model_choices != sorted(self.build_models_list()):  # the index holds nothing else
            parts.append(wq.Or([wq.Term(DJANGO_CT, choice) for choice in model_choices]))
        parts.extend(self.parser.parse(force_str(narrow)) for narrow in narrow_queries or ())
        return wq.And(parts) if parts else None

    def _results(self, hits, result_class, highlight) -> list:
        from haystack import connections

        result_class = result_class or SearchResult
        unified_index = connections[self.connection_alias].get_unified_index()
        indexed_models = unified_index.get_indexed_models()
        found = []
        for hit in hits:
            stored = hit.fields()
            app_label, model_name = stored[DJANGO_CT].split(".")
            model = haystack_get_model(app_label, model_name)
            if model is None or model not in indexed_models:
                continue
            index = unified_index.get_index(model)
            extra = {}
            for key, value in stored.items():
                if key in (DJANGO_CT, DJANGO_ID):
                    continue
                field = index.fields.get(key)
                if field is not None and field.is_multivalued:
                    extra[key] = value.split(",") if value else []
                elif field is not None and hasattr(field, "convert"):
                    extra[key] = field.convert(value)
                else:
                    extra[key] = value
            if highlight:
                extra["highlighted"] = {self.content_field_name: [self._snippet(hit, stored)]}
            found.append(result_class(app_label, model_name, stored[DJANGO_ID], hit.score or 0, **extra))
        return found

    def _snippet(self, hit, stored) -> str:
        """Marked fragments of the body: the title, shown beside the snippet anyway, is cut from the text first."""
        text = stored.get(self.content_field_name) or ""
        title = stored.get("title") or ""
        if title and text.startswith(title):
            text = text[len(title):].lstrip()
        snippet = " ".join(hit.highlights(self.content_field_name, text=text, top=2).split())
        if not snippet:
            return ""
        # Mark where the snippet starts or ends inside the text, as a reader expects of an excerpt.
        plain = re.sub(r"</?mark>", "", snippet)
        flat = " ".join(text.split())
        head, tail = plain.split(" … ")[0], plain.split(" … ")[-1]
        if not flat.startswith(html.unescape(head)):
            snippet = "… " + snippet
        closing = ".!?\"”’' "
        if not flat.rstrip(closing).endswith(html.unescape(tail).rstrip(closing)):
            snippet += " …"
        elif not html.unescape(tail).endswith(ending := flat[len(flat.rstrip(closing)):]):
            snippet += html.escape(ending, quote=False)  # Whoosh's fragment stops at the last word
        return snippet

    def _suggest(self, searcher, spelling_query: str) -> str | None:
        """Each word absent from the index replaced by the closest indexed word (by edit distance, then frequency);
        None when every word is already there or nothing is close."""
        reader = searcher.reader()
        field = self.schema[self.content_field_name]
        words = [w for w in force_str(spelling_query).split() if w not in self.RESERVED_WORDS]
        suggested, changed = [], False
        for word in words:
            bare = "".join(ch for ch in word.lower() if ch.isalnum())
            stems = [token.text for token in field.analyzer(bare)]
            if not bare or not stems or all((self.content_field_name, stem) in reader for stem in stems):
                suggested.append(bare or word)
                continue
            suggestion = self._closest_word(searcher, bare, stems[0]) if len(stems) == 1 else None
            suggested.append(suggestion or bare)
            changed = changed or bool(suggestion)
        return " ".join(suggested) if changed else None

    def _closest_word(self, searcher, word: str, stem: str) -> str | None:
        """The indexed stem closest to this word's stem (edit distance, then document frequency), spelled as the
        closest of its forms in a document holding it: "smugling" -> stem "smugl" -> "smuggl" -> "smuggling"."""
        reader = searcher.reader()
        name = self.content_field_name
        candidates = [(distance(stem, term, MAX_EDITS), -reader.doc_frequency(name, term), term)
                      for maxdist in (1, MAX_EDITS) for term in reader.terms_within(name, stem, maxdist, prefix=1)]
        if not candidates:
            return None
        best = min(candidates)[2]
        docnum = next(iter(searcher.docs_for_query(wq.Term(name, best))), None)
        text = (searcher.stored_fields(docnum).get(name) or "") if docnum is not None else ""
        forms = {token.original.lower() for token in self.schema[name].analyzer(text, keeporiginal=True)
                 if token.text == best}
        return min(forms, key=lambda form: (distance(word, form, len(form) + len(word)), form)) if forms else best

    def create_spelling_suggestion(self, query_string):
        if not self.setup_complete:
            self.setup()
        with self.shared.searching() as (searcher, _catalog):
            return self._suggest(searcher, query_string)

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        """Documents sharing the key terms of this one's text, the document itself excluded."""
        if not self.setup_complete:
            self.setup()
        narrow = {additional_query_string} if additional_query_string and additional_query_string != "*" else None
        top = end_offset or 10
        with self.shared.searching() as (searcher, _catalog):
            docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
            if docnum is None:
                return {"results": [], "hits": 0}
            results = searcher.more_like(
                docnum, self.content_field_name, top=top, numterms=12,
                filter=self._narrowing(narrow, models, limit_to_registered_models),
            )
            hits = results[start_offset or 0:top] if len(results) else EmptyResults()
            return {"results": self._results(hits, result_class, False), "hits": len(results)}


class ArchiveWhooshSearchQuery(WhooshSearchQuery):
    """Haystack's Whoosh query builder; dates in UTC as the index stores them."""

    def _convert_datetime(self, date):
        if isinstance(date, datetime.datetime) and date.tzinfo is not None:
            date = date.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return super()._convert_datetime(date)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
    query = ArchiveWhooshSearchQuery


def _ranking_key(query, within) -> tuple[str, str]:
    """What a ranking of a query within a filter (None: unfiltered) is kept under in the catalog."""
    return repr(query), repr(within)


def _checks_each_match(query) -> bool:
    """Whether finding a query's matches costs a check per candidate (a phrase reads its positions, NOT tests the
    excluded part), so matching and ranking are done in one pass rather than two."""
    return isinstance(query, (wq.Phrase, wq.Not, wq.AndNot)) or any(_checks_each_match(child)
                                                                      for child in query.children())


def _scored(searcher, query, docnums: list[int], limit: int | None) -> list[tuple[float, int]]:
    """(score, document number) of the best ``limit`` of these documents (ascending numbers, all matching the
    query), best first and ties in document order, as Whoosh ranks them: each segment's matcher skips to each one."""
    context = searcher.context()
    scored = []
    remaining = iter(docnums)
    docnum = next(remaining, None)
    for subsearcher, offset in searcher.leaf_searchers():
        end = offset + subsearcher.doc_count_all()
        matcher = query.matcher(subsearcher, context)
        while docnum is not None and docnum < end:
            local = docnum - offset
            if matcher.is_active() and matcher.id() < local:
                matcher.skip_to(local)
            if matcher.is_active() and matcher.id() == local:
                scored.append((matcher.score(), docnum))
            docnum = next(remaining, None)
    best = sorted(scored, key=lambda item: (-item[0], item[1]))
    return best if limit is None else best[:limit]


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy: merge the small segments into the new one once MERGE_FACTOR of them are waiting, keep the
    others, drop emptied ones. Whoosh's default (MERGE_SMALL) merges by a Fibonacci rule that, past a few dozen
    commits, rewrites the largest segments again and again: at 50,000 reports indexing fell from 250 to 47 reports/s."""
    from whoosh.reading import SegmentReader

    live = [segment for segment in segments if segment.doc_count()]
    small = [segment for segment in live if segment.doc_count() < SMALL_SEGMENT]
    if len(small) < MERGE_FACTOR:
        return live
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in live if segment.doc_count() >= SMALL_SEGMENT]


def _check_count(index, expected: int) -> None:
    """Whoosh's multi-process writer drops a process's segment if it dies (it waits one second for each result and
    moves on): a commit that lost documents must fail, so the queue keeps its rows and writes them again."""
    found = index.doc_count()
    if found != expected:
        raise IndexWriteLost(f"the index holds {found} documents after a write, {expected} were expected")


def _segment_id(leaf) -> str | None:
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else None


def _column(leaf, fieldname: str, missing=None, translate: bool = False):
    """(document number, value) for every document of one segment; ``missing`` where it has no such column."""
    if leaf.has_column(fieldname):
        return enumerate(leaf.column_reader(fieldname, translate=translate))
    return ((docnum, missing) for docnum in range(leaf.doc_count_all()))


def _grouped(leaf, fieldname: str, keys_of, translate: bool = True) -> dict:
    """key -> set of a segment's documents, for the keys ``keys_of(value)`` gives each document's column value."""
    grouped: dict = {}
    if leaf.has_column(fieldname):
        for docnum, value in _column(leaf, fieldname, translate=translate):
            for key in keys_of(value):
                grouped.setdefault(key, []).append(docnum)
    count = leaf.doc_count_all()
    return {key: docsets.from_docnums(docnums, count) for key, docnums in grouped.items()}


def _page_in_order(order: list[int], matched: int, start: int, limit: int | None) -> list[int]:
    """Documents ``start:limit`` of ``order`` that are in ``matched``: a walk down the order, stopping at the page."""
    raw = docsets.as_bytes(matched)
    size = len(raw)
    page, seen = [], 0
    for docnum in order:
        index = docnum >> 3
        if index < size and raw[index] >> (docnum & 7) & 1:
            if seen >= start:
                page.append(docnum)
            seen += 1
            if limit is not None and seen >= limit:
                break
    return page


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else (
            value.astimezone(datetime.timezone.utc).replace(tzinfo=None))
    return datetime.datetime(value.year, value.month, value.day)


def _text(key) -> str:
    return key.decode("utf-8") if isinstance(key, bytes) else str(key)



def _remove_old_generations(root: str, keep: str) -> None:
    """After a swap: every other generation folder, and the index files of the configured folder itself (the index
    before the first bulk rebuild). Readers still holding them keep reading their open files until they reopen."""
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if name in (keep, POINTER):
            continue
        if os.path.isdir(path) and name.startswith(GENERATION_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.isfile(path) and (name.endswith((".toc", ".seg", ".pst", ".trm", ".pdc", ".fvz", ".lck"))
                                       or name.startswith(("_MAIN_", "MAIN_", f".{POINTER}."))):
            os.remove(path)
