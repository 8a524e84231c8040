"""The archive's Whoosh backend for haystack: the only module that imports Whoosh.

What it changes in haystack's ``WhooshSearchBackend`` and why:

- **Schema**: haystack's ``Facet*Field``s (see ``archive.search_indexes``) are stored whole (``ID`` with a column, or a
  comma-separated ``KEYWORD`` with a list column for several values), so "Daily NK" comes back as ``daily-nk``, not as
  the stemmed tokens ``daili`` and ``nk``; dates are sortable columns.
- **Facets** are counted by Whoosh's grouping (``whoosh.sorting``) in the same ``searcher.search`` call that returns the
  page, reading the columns of the matching documents only: the cost grows with the number of matches, not with the
  size of the index, and no database row is loaded. Limits are honoured, date buckets are in date order, no ``None``.
- **One long-lived searcher** per index, shared by every thread and refreshed when the index changes, instead of a
  searcher (and its file opening) per call; searches hold a lock, so runserver's threads never share one mid-search.
- **Relevance**: words without a field are looked for in the text and in the title, with the title's boost.
- **Query facets** (``SearchQuerySet.query_facet``) are counted within the matching documents.
- **Sorting** by date puts undated articles last in both directions.
- **Spelling** is suggested only when asked (``SearchQuerySet.spelling_suggestion``), never on every search.
- **Snippets**: short fragments of the stored plain text with matched terms (stemmed and prefix-expanded forms
  included) in ``<mark>``, in ``SearchResult.highlighted["text"]``.
- **Writes** take one in-process lock and wait for Whoosh's own lock instead of failing; ``archive.search.indexing``
  feeds them from one queue so requests never write.
- **A lost index is said so**: opening never creates an index silently. A missing or unreadable index folder raises
  ``IndexUnavailable`` on search and write (the edges answer 503), and only a rebuild (``clear``, ``update``) creates
  one: an empty index standing in for a deleted one would answer "no results" for every report in the database.
"""

import datetime
import html
import os
import pickle
import re
import shutil
import struct
import threading
from contextlib import contextmanager

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
from whoosh.fields import DATETIME, KEYWORD
from whoosh.filedb.filestore import StorageError
from whoosh.filedb.filetables import FileFormatError
from whoosh.fields import ID as WHOOSH_ID
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
from whoosh.sorting import Categorizer, Count, DateRangeFacet, FacetType, FieldFacet, MultiFacet
from whoosh.support.relativedelta import relativedelta

from archive.errors import IndexUnavailable

UNDATED = "undated"
SNIPPET_CHARS = 160  # each fragment; two fragments at most
TITLE_QUERY_BOOST = 0.5  # see ArchiveWhooshBackend.setup
WRITE_LOCK_TIMEOUT = 120.0  # seconds to wait for another process's Whoosh lock (e.g. update_index) before failing
# What a missing, truncated or overwritten index folder raises when Whoosh opens or refreshes it.
UNREADABLE = (whoosh_index.IndexError, StorageError, FileFormatError, OSError, EOFError, ValueError, struct.error,
              pickle.UnpicklingError)
UNAVAILABLE_MESSAGE = "The search index is missing or unreadable; an administrator must run manage.py rebuild_index."


class KeywordList(KEYWORD):
    """Several whole values (comma-separated when indexed) with a column of lists, so Whoosh's overlapping facet
    reads each document's values from the column instead of rebuilding them from every posting list per search."""

    def __init__(self, **kwargs):
        super().__init__(stored=True, commas=True, **kwargs)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        values = value.split(",") if isinstance(value, str) else value
        return [v.strip().encode("utf-8") for v in values if v and v.strip()]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]


class MissingLast(FacetType):
    """Sort key 0 for documents with a value in a numeric column, 1 for those without (the column's default), so a
    date sort puts undated documents last in both directions; it reads the column, no query is run."""

    def __init__(self, fieldname):
        self.fieldname = fieldname

    def categorizer(self, global_searcher):
        return _MissingCategorizer(self.fieldname, global_searcher.schema[self.fieldname].column_type._default)


class _MissingCategorizer(Categorizer):
    def __init__(self, fieldname, missing):
        self._fieldname, self._missing, self._column = fieldname, missing, None

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        has_column = reader.has_column(self._fieldname)
        self._column = reader.column_reader(self._fieldname, translate=False) if has_column else None

    def key_for(self, matcher, segment_docnum):
        return 1 if self._column is None or self._column[segment_docnum] == self._missing else 0


class MarkFormatter(HtmlFormatter):
    """``<mark>term</mark>``, no classes: the page styles <mark>, and ``clean_snippet`` keeps nothing else."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


class SharedIndex:
    """One open Whoosh index, its long-lived searcher and its write lock, shared by every backend instance (haystack
    makes one per thread) on the same path. ``index`` is None while the folder holds no readable index."""

    def __init__(self, opener):
        self._open = opener  # returns the index, or raises one of UNREADABLE
        self.index = None
        self.read_lock = threading.RLock()
        self.write_lock = threading.RLock()
        self._searcher = None

    def current(self):
        """The open index, opened (again) if it was missing before; raises IndexUnavailable if it still is."""
        if self.index is None:
            try:
                self.index = self._open()
            except UNREADABLE as exc:
                raise IndexUnavailable(UNAVAILABLE_MESSAGE) from exc
        return self.index

    @contextmanager
    def searching(self):
        """The current searcher, refreshed if a writer committed since; held exclusively until the block ends."""
        with self.read_lock:
            try:
                if self._searcher is None:
                    self._searcher = self.current().searcher()
                elif not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
            except UNREADABLE as exc:  # the folder was deleted or damaged under us
                self.close()
                self.index = None
                raise IndexUnavailable(UNAVAILABLE_MESSAGE) from exc
            yield self._searcher

    def close(self):
        with self.read_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None


_shared: dict[str, SharedIndex] = {}
_shared_lock = threading.Lock()


class ArchiveWhooshBackend(WhooshSearchBackend):
    def setup(self):
        """Build the schema and attach to the shared index of this path (opened or created once per process)."""
        from haystack import connections

        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        # Words without a field are looked for in the text (which holds the title too) and in the title again, so a
        # match in the title outranks one in the body. TITLE_QUERY_BOOST was tuned on Cranfield (bench/cranfield.py):
        # MAP 0.2978 at 1.0, 0.3018 at 0.5 -- the text field already counts the title once.
        default_fields = [self.content_field_name, *(["title"] if "title" in self.schema else [])]
        self.parser = MultifieldParser(default_fields, schema=self.schema, fieldboosts={"title": TITLE_QUERY_BOOST})
        self.parser.add_plugins([FuzzyTermPlugin])
        key = os.path.abspath(self.path) if self.use_file_storage else "ram"
        with _shared_lock:
            if key not in _shared:
                _shared[key] = SharedIndex(self._open_index)
            self.shared = _shared[key]
        self.setup_complete = True

    @property
    def index(self):
        return self.shared.current()

    def _open_index(self):
        """The existing index; a RAM index (tests of other engines' settings) is created, a file index never."""
        from whoosh.filedb.filestore import FileStorage, RamStorage

        if not self.use_file_storage:
            return RamStorage().create_index(self.schema)
        return FileStorage(self.path).open_index(schema=self.schema)

    def _create_index(self):
        from whoosh.filedb.filestore import FileStorage

        os.makedirs(self.path, exist_ok=True)
        return FileStorage(self.path).create_index(self.schema)

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
        with self.shared.searching() as searcher:
            return list(searcher.all_stored_fields())

    def _writable(self, create_missing: bool):
        """The index to write to; a missing one is created only when the caller says nothing would be lost."""
        with self.shared.read_lock:
            if not self.is_available():
                if not (create_missing and self.use_file_storage):
                    raise IndexUnavailable(UNAVAILABLE_MESSAGE)
                self.shared.close()
                self.shared.index = self._create_index()
            return self.shared.current()

    def build_schema(self, fields):
        """Haystack's schema, with facet fields whole and date fields sortable."""
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if isinstance(field, FacetField):
                schema.remove(name)
                if field.is_multivalued:
                    schema.add(name, KeywordList())
                else:
                    schema.add(name, WHOOSH_ID(stored=True, sortable=True))
            elif field.field_type in ("date", "datetime"):
                schema.remove(name)
                schema.add(name, DATETIME(stored=True, sortable=True))
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
        """Add or replace documents and delete others in one commit; waits for Whoosh's lock rather than failing.
        Raises IndexUnavailable if the index is missing (unless ``create_missing``) or unreadable."""
        if not self.setup_complete:
            self.setup()
        if not documents and not removed_ids:
            return
        with self.shared.write_lock:
            writer = self._writable(create_missing).writer(timeout=WRITE_LOCK_TIMEOUT)
            try:
                for identifier in removed_ids:
                    writer.delete_by_term(ID, identifier)
                for document in documents:
                    writer.update_document(**document)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        # update_index writes every document it is given: creating a missing index loses nothing.
        self.write(self.prepare_documents(index, iterable), create_missing=True)

    def remove(self, obj_or_string, commit=True):
        self.write([], (get_identifier(obj_or_string),))

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        if models is None:
            self.delete_index()
            return
        with self.shared.write_lock:
            writer = self._writable(create_missing=True).writer(timeout=WRITE_LOCK_TIMEOUT)
            for model in models:
                writer.delete_by_term(DJANGO_CT, f"{model._meta.app_label}.{model._meta.model_name}")
            writer.commit()

    def delete_index(self):
        key = os.path.abspath(self.path) if self.use_file_storage else "ram"
        with _shared_lock:
            shared = _shared.pop(key, None)
        if shared is not None:
            with shared.write_lock:
                shared.close()
                if self.use_file_storage and os.path.exists(self.path):
                    shutil.rmtree(self.path)
        elif self.use_file_storage and os.path.exists(self.path):
            shutil.rmtree(self.path)
        self.setup()
        with self.shared.write_lock:
            self._writable(create_missing=True)  # an empty index: cleared, not lost

    def optimize(self):
        if not self.setup_complete:
            self.setup()
        with self.shared.write_lock:
            self.shared.current().optimize()

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
        groupedby, facet_types = self._groupedby(facets, date_facets)
        with self.shared.searching() as searcher:
            results = searcher.search(
                parsed,
                limit=limit,
                sortedby=self._sortedby(sort_by),
                groupedby=groupedby or None,
                filter=self._narrowing(narrow_queries, models, limit_to_registered_models),
            )
            hits = results[start_offset:limit] if limit is not None else list(results)[start_offset:]
            if highlight:
                results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
                results.formatter = MarkFormatter()
            found = self._results(hits, result_class, highlight)
            return {
                "results": found,
                "hits": len(results),
                "facets": {**self._facet_counts(results, facets or {}, facet_types),
                           "queries": self._query_facet_counts(searcher, results, query_facets)},
                "spelling_suggestion": self._suggest(searcher, spelling_query) if spelling_query else None,
            }

    def _narrowing(self, narrow_queries, models, limit_to_registered_models):
        """The filter of a search: the models and every narrow query, AND-ed (filters do not score)."""
        if models:
            model_choices = sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in models)
        elif limit_to_registered_models is not False:
            model_choices = self.build_models_list()
        else:
            model_choices = []
        parts = []
        if model_choices:
            parts.append(wq.Or([wq.Term(DJANGO_CT, choice) for choice in model_choices]))
        parts.extend(self.parser.parse(force_str(narrow)) for narrow in narrow_queries or ())
        return wq.And(parts) if parts else None

    def _sortedby(self, sort_by):
        """Whoosh sort facets; a date field sorts undated documents last whether ascending or descending."""
        if not sort_by:
            return None
        keys = []
        for order in sort_by:
            reverse = order.startswith("-")
            name = order.lstrip("-")
            if name in self.schema and isinstance(self.schema[name], DATETIME):
                keys.extend([MissingLast(name), FieldFacet(name, reverse=reverse)])
            else:
                keys.append(FieldFacet(name, reverse=reverse))
        return MultiFacet(keys)

    def _groupedby(self, facets, date_facets):
        groupedby, facet_types = [], {}
        for name in facets or {}:
            multi = isinstance(self.schema[name], KeywordList)
            groupedby.append(FieldFacet(name, allow_overlap=multi, maptype=Count))
            facet_types[name] = "fields"
        for name, spec in (date_facets or {}).items():
            start, end = _as_datetime(spec["start_date"]), _as_datetime(spec["end_date"])
            gap = relativedelta(**{f"{spec['gap_by']}s": spec.get("gap_amount", 1)})
            groupedby.append(DateRangeFacet(name, start, end, gap, maptype=Count))
            facet_types[name] = "dates"
        return groupedby, facet_types

    def _facet_counts(self, results, facet_options, facet_types) -> dict:
        """Haystack's facet shape: fields by count (then value) within the limit, dates in date order; no None."""
        counts = {"fields": {}, "dates": {}, "queries": {}}
        for name, kind in facet_types.items():
            groups = {key: n for key, n in results.groups(name).items() if key not in (None, b"", "") and n > 0}
            if kind == "dates":
                counts["dates"][name] = sorted((key[0], n) for key, n in groups.items() if isinstance(key, tuple))
                continue
            items = sorted(((_text(key), n) for key, n in groups.items()), key=lambda item: (-item[1], item[0]))
            options = facet_options.get(name) or {}
            limit = int(options.get("limit", -1) or -1)
            mincount = int(options.get("mincount", 1) or 1)
            items = [item for item in items if item[1] >= mincount]
            counts["fields"][name] = items if limit < 0 else items[:limit]
        return counts

    def _query_facet_counts(self, searcher, results, query_facets) -> dict:
        """Haystack's ``query_facet``: how many of the matching documents also match each ``field:query``, keyed as
        Solr keys them."""
        if not query_facets:
            return {}
        matched = results.docs()
        counts = {}
        for field, value in query_facets:
            parsed = self.parser.parse(f"{field}:({value})")
            counts[f"{field}:{value}"] = sum(1 for doc in searcher.docs_for_query(parsed) if doc in matched)
        return counts

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
        corrector = searcher.corrector(self.content_field_name)
        words = [w for w in force_str(spelling_query).split() if w not in self.RESERVED_WORDS]
        suggested, changed = [], False
        for word in words:
            bare = "".join(ch for ch in word.lower() if ch.isalnum())
            stems = [token.text for token in field.analyzer(bare)]
            if not bare or not stems or all((self.content_field_name, stem) in reader for stem in stems):
                suggested.append(bare or word)
                continue
            options = corrector.suggest(bare, limit=1)
            suggested.append(options[0] if options else bare)
            changed = changed or bool(options)
        return " ".join(suggested) if changed else None

    def create_spelling_suggestion(self, query_string):
        if not self.setup_complete:
            self.setup()
        with self.shared.searching() as searcher:
            return self._suggest(searcher, query_string)

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        """Documents sharing the key terms of this one's text, the document itself excluded."""
        if not self.setup_complete:
            self.setup()
        narrow = {additional_query_string} if additional_query_string and additional_query_string != "*" else None
        top = end_offset or 10
        with self.shared.searching() as searcher:
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


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else (
            value.astimezone(datetime.timezone.utc).replace(tzinfo=None))
    return datetime.datetime(value.year, value.month, value.day)


def _text(key) -> str:
    return key.decode("utf-8") if isinstance(key, bytes) else str(key)
