"""The haystack adapter of the archive's Whoosh index: haystack's calls, answered by the modules beside this one.

What it changes in haystack's ``WhooshSearchBackend`` and why:

- **One long-lived searcher** per index folder (``generations.SharedIndex``), shared by every thread and refreshed
  when the index changes, instead of a searcher (and its file opening) per call.
- **Searching** counts and lists from the searcher's ``catalog`` (facet bitsets, date order, kept rankings) and lets
  Whoosh score only the top of a ranked page; snippets and spelling come from ``snippets``.
- **Writing** goes through ``writing`` (one commit per batch, a bulk rebuild into a new generation swapped in
  atomically), which ``archive.search.engine`` calls as ``write``, ``replace_all`` and ``prepare_documents``.
- **Prefixes** are read as their most frequent words when they have more than the catalog reads
  (``Catalog.bounded``); ``prefix_words_read`` says so, for the query's reading.
- **Phrases and NOT** are read from word pairs and as set subtractions (``phrases``) unless ``fast_paths`` is off.
- **Relevance**: words without a field are looked for in the text and in the title, with the title's boost
  (``schema.query_parser``), scored by BM25 with its own IDF (``scoring``); a name's spellings score as one term
  (``variants``).
- **Related reports** (``more_like_this``) come from ``related``: Whoosh's key terms (Bo1) among the words another
  report holds, OR-ed and scored from their posting lists, kept per index generation; no count of every match.

Only what the archive asks haystack for is answered: a sort by anything but one date field, date facets not by month
or year, query facets and clearing by model raise NotImplementedError, so no code path goes unexercised.
"""

import datetime
import os

from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq
from whoosh.searching import Results

from archive.search.whoosh import generations, phrases, related, schema, snippets, variants, writing


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Phrases from word pairs and NOT as set subtraction (phrases.py); False runs Whoosh's plain matchers, which
        # give the same results slower: the tests compare the two.
        self.fast_paths = connection_options.get("FAST_PATHS", True)

    def setup(self):
        """Build the schema and attach to this process's shared index of the folder (opened once per process)."""
        from haystack import connections

        if not self.use_file_storage:
            raise ImproperlyConfigured("The archive's Whoosh index lives in a folder (PATH); STORAGE must be 'file'.")
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = schema.query_parser(self.schema, self.content_field_name)
        self.shared = generations.shared_index(self._root(), self.schema)
        self.setup_complete = True

    def _root(self) -> str:
        return os.path.abspath(self.path)

    @property
    def index(self):
        return self.shared.current()

    def build_schema(self, fields):
        content_field_name, whoosh_schema = super().build_schema(fields)
        return content_field_name, schema.adapt(content_field_name, whoosh_schema, fields)

    def is_available(self) -> bool:
        """Whether the index folder holds a readable index (searches can be answered)."""
        if not self.setup_complete:
            self.setup()
        return self.shared.is_available()

    def stored_documents(self) -> list[dict]:
        """Every document's stored fields (``index_check`` compares them with the database)."""
        if not self.setup_complete:
            self.setup()
        with self.shared.searching() as (searcher, _catalog):
            return list(searcher.all_stored_fields())

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The terms a query word is read as (stemmed, folded, an acronym, Hangul pairs): what it matches in the
        index, so a page can mark the same words the search found."""
        if not self.setup_complete:
            self.setup()
        return tuple(token.text for token in self.schema[self.content_field_name].analyzer(word, mode="query"))

    def contents_version(self) -> str:
        """A name for what the index holds now, the same in every process that reads it: its generation, its commit
        and its segments with their live documents (segment ids are random, so an index cleared and written again up
        to the same commit has another name). What a search leaves for the next requests is kept under it."""
        if not self.setup_complete:
            self.setup()
        with self.shared.searching() as (searcher, catalog):
            return f"{self.shared.generation}:{searcher.reader().generation()}:{catalog.contents}"

    def document_shares(self, words: list[str]) -> dict[str, float]:
        """The share of documents holding each word (as the analysis reads it; a word of several terms counts by its
        rarest), for leaving the commonest words out of a partial-match fallback."""
        if not self.setup_complete:
            self.setup()
        field = self.schema[self.content_field_name]
        with self.shared.searching() as (searcher, _catalog):
            total = max(1, searcher.doc_count())
            reader = searcher.reader()
            shares = {}
            for word in words:
                terms = [token.text for token in field.analyzer(word, mode="query")]
                frequencies = [reader.doc_frequency(self.content_field_name, term) for term in terms]
                shares[word] = min(frequencies) / total if frequencies else 0.0
            return shares

    def warm_words(self) -> int:
        """Score the words the searcher before the current one scored last (``SharedIndex.warm_words``)."""
        if not self.setup_complete:
            self.setup()
        return self.shared.warm_words()

    def cache_sizes(self) -> dict[str, tuple[int, int]]:
        """The caches of the open index that queries grow: name -> (entries, bound)."""
        if not self.setup_complete:
            self.setup()
        return self.shared.cache_sizes()

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
            documents.append(schema.with_pairs(self.schema, {key: self._from_python(value)
                                                             for key, value in prepared.items() if value is not None}))
        return documents

    def write(self, documents: list[dict], removed_ids: tuple[str, ...] = (), create_missing: bool = False) -> None:
        """Add or replace documents and delete others in one commit (``writing.write``)."""
        if not self.setup_complete:
            self.setup()
        writing.write(self.shared, documents, removed_ids, create_missing)

    def replace_all(self, document_batches) -> int:
        """The whole index replaced by these documents, in a new generation swapped in atomically
        (``writing.replace_all``); returns the number of documents."""
        if not self.setup_complete:
            self.setup()
        return writing.replace_all(self.shared, document_batches)

    def segment_count(self) -> int:
        """The live index's segments (``/healthz``: each costs every query a little, ``writing.merge_tier``)."""
        if not self.setup_complete:
            self.setup()
        return len(self.shared.current()._segments())

    def merge_is_due(self) -> bool:
        """Whether segments of bulk writes wait to be merged (``writing.merge_tier``)."""
        if not self.setup_complete:
            self.setup()
        return writing.merge_is_due(self.shared)

    def merge_tier(self) -> int:
        """Merge the next full tier of segments; the documents merged, 0 if none was due (``writing.merge_tier``)."""
        if not self.setup_complete:
            self.setup()
        return writing.merge_tier(self.shared)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        # update_index writes every document it is given: creating a missing index loses nothing.
        self.write(self.prepare_documents(index, iterable), create_missing=True)

    def remove(self, obj_or_string, commit=True):
        self.write([], (get_identifier(obj_or_string),))

    def clear(self, models=None, commit=True):
        """An empty index in place of the folder and its generations."""
        if models is not None:
            raise NotImplementedError("The index holds articles only: it is cleared whole, or replaced by "
                                      "rebuild_index.")
        self.delete_index()

    def delete_index(self):
        generations.delete_folder(self._root())
        self.setup()
        with self.shared.write_lock:
            self.shared.writable(create_missing=True)  # an empty index: cleared, not lost

    def optimize(self):
        raise NotImplementedError("Not used: small segments are merged on commit (writing.merge_small_segments), "
                                  "bulk ones by tiers (writing.merge_tier, from manage.py drain_index).")

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
            parsed = catalog.bounded(parsed)  # a prefix of thousands of words read as its most frequent
            exact = None
            if self.fast_paths and self.shared.has_current_analysis():
                parsed = phrases.fast(parsed, catalog)  # phrases from word pairs, NOT as a set subtraction

                def exact():
                    return phrases.exact_scores(parsed, catalog)
            matched = catalog.matching(parsed)
            if narrowing is not None:
                matched &= catalog.matching(narrowing)
            top = []  # no match, or end_offset 0: counts only (facets.py's facet-only searches)
            if matched and end_offset != 0:
                top = catalog.page(parsed, narrowing, matched, order, start_offset, limit, exact)
            results = Results(searcher, parsed, top)
            highlight = highlight and not isinstance(parsed, wq.Every)
            if highlight:
                snippets.mark_matches(results)
            return {
                "results": self._results([results[position] for position in range(len(top))], result_class, highlight),
                "hits": matched.bit_count(),
                "facets": {
                    "fields": catalog.field_counts(matched, facets or {}),
                    "dates": catalog.date_counts(matched, date_facets or {}),
                    "queries": {},
                },
                "spelling_suggestion": (snippets.suggest(searcher, self.content_field_name, force_str(spelling_query),
                                                         self.RESERVED_WORDS) if spelling_query else None),
            }

    def spelling_suggestion(self, text: str) -> str | None:
        """The query's rare words replaced by close common ones (``snippets.suggest``), without running a search:
        haystack's ``spelling_suggestion`` runs a whole one for it, on every search page."""
        if not self.setup_complete:
            self.setup()
        with self.shared.searching() as (searcher, _catalog):
            return snippets.suggest(searcher, self.content_field_name, force_str(text), self.RESERVED_WORDS)

    def prefix_words_read(self, prefix: str, fieldname: str | None = None) -> int | None:
        """How many words a prefix is read as when it has more than the catalog reads (``Catalog.bounded``), in the
        field or, without one, in the fields a word without a field is looked for in; None when it is read whole."""
        if not self.setup_complete:
            self.setup()
        fieldnames = [fieldname] if fieldname else schema.default_fields(self.schema, self.content_field_name)
        with self.shared.searching() as (_searcher, catalog):
            for name in fieldnames:
                words, total = catalog.prefix_words(name, prefix.lower())
                if total > len(words):
                    return len(words)
        return None

    def _date_order(self, sort_by):
        """None for relevance, else (date field, newest first?): the archive sorts by one date field or not at all."""
        if not sort_by:
            return None
        name = sort_by[0].lstrip("-")
        if len(sort_by) != 1 or not schema.is_date(self.schema, name):
            raise NotImplementedError(f"Sorting by {', '.join(sort_by)} is not used: only by one date field.")
        return name, sort_by[0].startswith("-")

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
                extra["highlighted"] = {self.content_field_name: [snippets.snippet(hit, stored,
                                                                                   self.content_field_name)]}
            found.append(result_class(app_label, model_name, stored[DJANGO_ID], hit.score or 0, **extra))
        return found

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        """Documents sharing the key terms of this one's text, the document itself excluded (``related``). ``hits``
        is the number returned: counting every document sharing a word with this one cost more than finding the
        best."""
        if not self.setup_complete:
            self.setup()
        narrow = {additional_query_string} if additional_query_string and additional_query_string != "*" else None
        top = end_offset or 10
        with self.shared.searching() as (searcher, catalog):
            docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
            if docnum is None:
                return {"results": [], "hits": 0}
            found = related.similar(searcher, catalog, docnum, self.content_field_name, top,
                                    self._narrowing(narrow, models, limit_to_registered_models))
            results = Results(searcher, None, found)
            hits = [results[position] for position in range(start_offset or 0, len(found))]
            return {"results": self._results(hits, result_class, False), "hits": len(found)}


class ArchiveWhooshSearchQuery(WhooshSearchQuery):
    """Haystack's Whoosh query builder; dates in UTC as the index stores them, and a name's spellings
    (``archive.search.query.AnySpelling``) written so the parser reads them as one term (``variants``)."""

    def build_query_fragment(self, field, filter_type, value):
        if getattr(value, "input_type_name", "") == "any_spelling":
            from haystack import connections

            prefix = "" if field == "content" else (
                f"{connections[self._using].get_unified_index().get_index_fieldname(field)}:")
            return prefix + variants.written(value.forms)
        return super().build_query_fragment(field, filter_type, value)

    def _convert_datetime(self, date):
        if isinstance(date, datetime.datetime) and date.tzinfo is not None:
            date = date.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return super()._convert_datetime(date)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
    query = ArchiveWhooshSearchQuery
