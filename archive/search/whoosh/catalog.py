"""What one searcher generation knows without scoring: each facet value's documents, the date order, and the sets and
rankings of recent searches.

Facets are counted from the catalog kept with the searcher: each facet value's documents as a Python-int bitset
(``archive.search.docsets``), built from the columns once per index generation. A search computes the set of its
matches once, intersects it with the filters' sets, and counts each value by one ``&`` and ``bit_count()``: no Python
step per matching document per facet, so a word found in every report costs as little to facet as a rare one. Limits
are honoured, date buckets (months, years) are in date order, no ``None``. Disjunctive facets are separate searches
(``archive.search.facets``) that reuse the cached sets of the query and of each filter.

Listing by date (the empty query, and any search sorted newest or oldest) walks the date order of the documents and
picks the matched ones: no scoring, undated articles last in both directions. Ranked searches let Whoosh score only
the top of the page, limited to the matched set when filters narrow it. Phrases and NOT read every candidate document
(positions, the excluded part): their matches and their ranking come from one pass of the matcher, not two. The
backend's fast paths (``phrases``) answer most phrases from word pairs and NOT as a subtraction of sets, without it.

A prefix (``s*``) is read as at most ``PREFIX_TERMS`` of its words, the most frequent (``bounded``): Whoosh would
otherwise merge the posting lists of every word beginning so (thousands for one letter), which took seconds.
"""

import datetime
import heapq
import threading
from collections import OrderedDict
from operator import neg

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.support.relativedelta import relativedelta

from archive.search import docsets
from archive.search.whoosh import schema as fields


class BoundedCache:
    """At most ``size`` entries, or, given ``weigh`` (entry -> its weight), entries weighing at most ``size`` in all;
    the least recently used goes first. Safe to share between threads."""

    def __init__(self, size: int, weigh=None):
        self.size, self._weigh, self.weight = size, weigh, 0
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key, value) -> None:
        with self._lock:
            if key in self._entries:
                self.weight -= self._weight_of(self._entries[key])
            self._entries[key] = value
            self._entries.move_to_end(key)
            self.weight += self._weight_of(value)
            while self.weight > self.size:  # an entry heavier than the bound alone is not kept
                self.weight -= self._weight_of(self._entries.popitem(last=False)[1])

    def recent_keys(self, count: int) -> list:
        """The keys of the ``count`` entries used last, the last first."""
        with self._lock:
            return list(reversed(self._entries))[:count]

    def _weight_of(self, value) -> int:
        return self._weigh(value) if self._weigh is not None else 1

    def __len__(self) -> int:
        return len(self._entries)


class BoundedPrefix(wq.Prefix):
    """A prefix read as the given words only (all of them, or the catalog's choice of its most frequent), every match
    scoring the prefix's boost alike (1, or the title's boost): Whoosh's own prefix added up the BM25 scores of the
    words a document holds whenever it chose its tree of unions (a prefix of two words, or segments of over 5,000
    documents), against its constant-score intent, so a prefix ranked by other rules in a large archive than in a
    small one."""

    def __init__(self, fieldname, text, words: tuple[bytes, ...], boost=1.0):
        super().__init__(fieldname, text, boost=boost)
        self.words = words

    def _btexts(self, ixreader):
        """The words a reader holds (asked again for every result a snippet is made of: kept per reader)."""
        held = self.__dict__.setdefault("_held", {})
        if (found := held.get(id(ixreader))) is None or found[0] is not ixreader:
            found = held[id(ixreader)] = (ixreader, [word for word in self.words if (self.fieldname, word) in ixreader])
        return found[1]

    def matcher(self, searcher, context=None):
        matcher = super().matcher(searcher, context)
        return ConstantScore(matcher, self.boost) if matcher.is_active() else matcher


class ConstantScore(WrappingMatcher):
    """Every document of the wrapped matcher scores the same. Unlike Whoosh's ConstantScoreWrapperMatcher it claims
    no block qualities: those would be the wrapped matcher's, and skipping by them would pass over matches."""

    def __init__(self, child, score: float):
        super().__init__(child)
        self._score = score

    def _replacement(self, newchild):
        return self.__class__(newchild, self._score)

    def copy(self):
        return self.__class__(self.child.copy(), self._score)

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def max_quality(self):
        return self._score

    def block_quality(self):
        return self._score

    def weight(self):
        return self._score

    def score(self):
        return self._score


class Catalog:
    """Built lazily from the columns and kept per segment (``segment_cache``, shared across generations): segments
    never change, so after a commit only the new, small segment is read, and the sets of the others are shifted into
    place. Deletions only change ``live``, which every set is intersected with."""

    CACHED_SETS = 128  # query sets, and rankings, kept for the next searches of this generation
    RANKED_KEPT = 1000  # best matches kept from a one-pass match and rank (50 pages of 20)
    PREFIX_TERMS = 64  # a prefix is read as at most this many of its words, the most frequent
    RELATED_KEPT = 1024  # reports whose related reports are kept: a few small tuples each
    SCORES_KEPT = 2_000_000  # postings whose scores are kept, 12 bytes each (a common word's: phrases.word_scores_of)

    def __init__(self, searcher, segment_cache: dict | None = None):
        self.searcher = searcher
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.leaves = [(leaf, offset, _segment_id(leaf)) for leaf, offset in reader.leaf_readers()]
        self._segments = {} if segment_cache is None else segment_cache
        current = {segid for _, _, segid in self.leaves}
        for segid in [segid for segid in self._segments if segid not in current]:
            del self._segments[segid]
        self.contents = ",".join(f"{segid}/{leaf.doc_count()}" for leaf, _, segid in self.leaves)  # its segments
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
        self._sets = BoundedCache(self.CACHED_SETS)  # repr(query) -> its live documents
        self._ranked = BoundedCache(self.CACHED_SETS)  # (query, filter) -> (reach or None for all, best matches)
        self._prefixes = BoundedCache(self.CACHED_SETS)  # (field, prefix) -> (its words read, how many it has)
        self.related = BoundedCache(self.RELATED_KEPT)  # (report, field, top, filter) -> reports like it (related.py)
        self.scores = BoundedCache(self.SCORES_KEPT, weigh=lambda kept: len(kept[0]))  # (field, word) -> its scores
        self.to_warm: list[tuple[str, bytes]] = []  # the words the generation before scored last (generations.py)
        self._lengths_in_memory()

    def _lengths_in_memory(self) -> None:
        """Each segment's field lengths (one byte a document and scored field) held in memory: BM25 reads the length
        of every document it scores, and Whoosh read each one from the file (the index is read, not mapped), which
        was most of the cost of ranking a phrase or a common word. The scores are the same."""
        names = [name for name, field in self.searcher.schema.items() if field.scorable]
        for leaf, _offset, segid in self.leaves:
            readers = getattr(getattr(leaf, "_perdoc", None), "_readers", None)
            if readers is None:  # not Whoosh 2.7's per-document reader: lengths stay where Whoosh reads them
                continue
            for name in names:
                lengths_field = _lenfield(name)
                column = leaf._perdoc._cached_reader(lengths_field, LENGTHS_COLUMN)
                if column is not None and not isinstance(column, bytes):
                    readers[lengths_field] = self._segment_data(leaf, segid, ("lengths", name),
                                                                lambda column=column: bytes(column))

    def prefix_words(self, fieldname: str, prefix: str) -> tuple[tuple[bytes, ...], int]:
        """The words of a field a prefix is read as (all of them, or the ``PREFIX_TERMS`` found in most documents,
        ties in word order), and how many words begin so."""
        key = (fieldname, prefix)
        if (found := self._prefixes.get(key)) is None:
            frequency: dict[bytes, int] = {}
            if fieldname in self.searcher.schema:
                for leaf, _offset, segid in self.leaves:
                    for word, count in _segment_prefix(leaf, segid, fieldname, prefix):
                        frequency[word] = frequency.get(word, 0) + count
            words = sorted(frequency)
            kept = words
            if len(words) > self.PREFIX_TERMS:
                kept = sorted(heapq.nsmallest(self.PREFIX_TERMS, words, key=lambda word: (-frequency[word], word)))
            found = (tuple(kept), len(words))
            self._prefixes.put(key, found)
        return found

    def bounded(self, query):
        """The query with each prefix read as its words, or its ``PREFIX_TERMS`` most frequent when it has more, every
        match scoring alike (``BoundedPrefix``); a query without a prefix is returned as it is."""
        if isinstance(query, wq.Prefix) and not isinstance(query, BoundedPrefix) and query.text:
            return BoundedPrefix(query.fieldname, query.text, self.prefix_words(query.fieldname, query.text)[0],
                                 query.boost)
        if not any(isinstance(leaf, wq.Prefix) for leaf in query.leaves()):
            return query
        return query.apply(self.bounded)

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
        if isinstance(query, wq.Term) and fields.has_values(self.searcher.schema, query.fieldname):
            return self.values(query.fieldname).get(_text(query.text), 0)
        if isinstance(query, wq.Not) and getattr(query, "from_sets", False):  # phrases.SetNot
            return self.live & ~self.matching(query.query)
        if isinstance(query, wq.Term) and query.fieldname in self.searcher.schema:
            return self._term_set(query)
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
        if (found := self._sets.get(key)) is not None:
            return found
        if checks_each:
            found, best = self._match_and_rank(query)
            self._ranked.put(_ranking_key(query, None), (None if len(best) < self.RANKED_KEPT else self.RANKED_KEPT,
                                                         best))
        elif hasattr(query, "documents_in"):  # phrases.PairPhrase, SetPrefix: a set per segment, no matcher stepped
            found = 0
            for searcher, offset in self.searcher.leaf_searchers():
                found |= query.documents_in(searcher) << offset
            found &= self.live
        else:
            found = docsets.from_docnums(self.searcher.docs_for_query(query), self.size) & self.live
        self._sets.put(key, found)
        return found

    def _term_set(self, term: wq.Term) -> int:
        """A word's live documents, read from its posting blocks (kept for the next searches of this generation)."""
        key = repr(term)
        if (found := self._sets.get(key)) is None:
            text = term.text
            if not isinstance(text, bytes):
                text = self.searcher.schema[term.fieldname].to_bytes(text)
            found = 0
            for leaf, offset, _ in self.leaves:
                if (term.fieldname, text) in leaf:
                    ids = posting_ids(leaf, term.fieldname, text)
                    found |= docsets.from_docnums(ids, leaf.doc_count_all()) << offset
            found &= self.live
            self._sets.put(key, found)
        return found

    def segment_set(self, reader, bits: int) -> int | None:
        """The part of a set of documents in one segment of this searcher, numbered within it; None for a reader
        that is not one of its segments."""
        for leaf, offset, _ in self.leaves:
            if leaf is reader:
                return (bits >> offset) & ((1 << leaf.doc_count_all()) - 1)
        return None

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

    def page(self, query, narrowing, matched: int, order, start: int, limit: int | None,
             exact=None) -> list[tuple[float, int]]:
        """(score, document number) of matches ``start:limit`` of a search: ranked when ``order`` is None (only the
        documents left by a filter are scored), else walked down a date order (``(field, newest first?)``, or
        document order for everything unsorted), with no scoring. ``exact()``, if given, may give the score of every
        match of the query at once, as its matcher would (``phrases.exact_scores``), or None."""
        if order is None and not isinstance(query, wq.Every):
            if (levels := self._levels(query)) is not None:  # every match scores one of a few constants: no scoring
                return _best_of_levels(levels, matched, limit)[start:]
            if _has_set_parts(query):
                # The fast paths' queries (phrases.py) are scored on their matches only, each by the matcher of the
                # whole query, as the one-pass ranking of the plain path scores them: Whoosh's top-N search reads a
                # NOT inside an AND otherwise (its array of OR-ed words gives other scores).
                top = self._ranked_within((query, narrowing), limit, lambda: _best_scored(exact, matched, limit)
                                          or _scored(self.searcher, query, docsets.docnums(matched), limit))
                return top[start:]
            if narrowing is not None:
                # Whoosh's filtered search would step through every match of the query and test it against the filter.
                top = self._ranked_within((query, narrowing), limit, lambda: self._best_within(query, matched, limit)
                                          or _best_scored(exact, matched, limit)
                                          or _scored(self.searcher, query, docsets.docnums(matched), limit))
            else:
                # Words and their ANDs and ORs are scored from their posting blocks (``phrases.exact_scores``), else
                # Whoosh scores the top of the query, skipping blocks that cannot reach it.
                top = self._ranked_within((query, None), limit, lambda: _best_scored(exact, matched, limit)
                                          or self.searcher.search(query, limit=limit).top_n)
            return top[start:]
        listed = self.order(*order) if order else docsets.docnums(self.live)
        return [(0.0, docnum) for docnum in _page_in_order(listed, matched, start, limit)]

    def _levels(self, query) -> dict[float, int] | None:
        """Score -> live documents scoring it, for a query each part of which scores a constant (prefixes, NOT as a
        set), combined as Whoosh combines scores (an OR or AND adds up its parts' and applies its boost); None for a
        query with a part scored by its words (BM25)."""
        if getattr(query, "constant_score", False):
            return {float(query.boost if isinstance(query, wq.Prefix) else 1.0): self.matching(query)}
        if not isinstance(query, (wq.And, wq.Or)) or not query.subqueries or getattr(query, "minmatch", 0):
            return None
        parts = []
        for part in query.subqueries:
            if (levels := self._levels(part)) is None:
                return None
            parts.append(levels)
        combined = parts[0]
        for levels in parts[1:]:
            combined = _added(combined, levels, union=isinstance(query, wq.Or))
        return {score * query.boost: bits for score, bits in combined.items()}

    def _best_within(self, query, within: int, limit: int | None) -> list[tuple[float, int]] | None:
        """The best ``limit`` matches of a query within a set, from its one-pass ranking if that ranking reaches far
        enough; None if the query must be scored again."""
        cached = self._ranked.get(_ranking_key(query, None))
        if cached is None:
            return None
        kept, top = cached
        inside = docsets.as_bytes(within)
        best = [(score, docnum) for score, docnum in top if docsets.contains(inside, docnum)]
        if kept is None or (limit is not None and len(best) >= limit):
            return best if limit is None else best[:limit]
        return None

    def _ranked_within(self, query_and_filter: tuple, limit: int | None, rank) -> list[tuple[float, int]]:
        """The best ``limit`` (score, document number) of a query within a filter, from ``rank()`` or from an earlier,
        at least as long, ranking of this generation (so the next page or a repeated search does not rank again)."""
        key = _ranking_key(*query_and_filter)
        cached = self._ranked.get(key)
        if cached is not None and (cached[0] is None or (limit is not None and cached[0] >= limit)):
            return cached[1] if limit is None else cached[1][:limit]
        top = list(rank())
        self._ranked.put(key, (limit, top))
        return top

    def field_counts(self, matched: int, facets: dict) -> dict:
        """Haystack's field facets: (value, count) by count then value, within the limit and mincount; a value's
        count is its set of documents intersected with the matches."""
        counts = {}
        for name, options in facets.items():
            options = options or {}
            mincount = max(1, int(options.get("mincount", 1) or 1))
            items = [(value, n) for value, bits in self.values(name).items()
                     if (n := (bits & matched).bit_count()) >= mincount]
            items.sort(key=lambda item: (-item[1], item[0]))
            limit = int(options.get("limit", -1) or -1)
            counts[name] = items if limit < 0 else items[:limit]
        return counts

    def date_counts(self, matched: int, date_facets: dict) -> dict:
        """Haystack's date facets by months or years from the first of a month: (bucket start, count) in date order,
        empty buckets left out."""
        counts = {}
        for name, spec in date_facets.items():
            start, end = _as_datetime(spec["start_date"]), _as_datetime(spec["end_date"])
            if spec.get("gap_by") not in ("month", "year") or (start.day, start.time()) != (1, datetime.time()):
                raise NotImplementedError("Date facets are counted by months or years from the first of a month; the "
                                          "archive asks for nothing else.")
            gap = relativedelta(**{f"{spec['gap_by']}s": spec.get("gap_amount", 1)})
            months = self.months(name)
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


    def cache_sizes(self) -> dict[str, tuple[int, int]]:
        """name -> (entries now, most entries kept): the query caches are bounded by CACHED_SETS; the per-field ones
        by the schema's fields, which no query adds to."""
        fields_kept = len(self.searcher.schema.names())
        return {
            "catalog: matches of a query": (len(self._sets), self._sets.size),
            "catalog: rankings of a query": (len(self._ranked), self._ranked.size),
            "catalog: words of a prefix": (len(self._prefixes), self._prefixes.size),
            "catalog: reports like a report": (len(self.related), self.related.size),
            "catalog: scores of a word's postings": (self.scores.weight, self.scores.size),
            "catalog: facet values, months, date orders": (
                len(self._values) + len(self._months) + len(self._orders), 4 * fields_kept),
            "catalog: a segment's words of a prefix": (len(_prefix_words), _prefix_words.size),
        }


def _best_scored(exact, within: int, limit: int | None) -> list[tuple[float, int]] | None:
    """The best ``limit`` of a query's matches within a set from its scores of every match (``exact()``: document
    number -> score, or None when it has none), best first, ties in document order."""
    scores = exact() if exact is not None else None
    if scores is None:
        return None
    scored = docsets.from_docnums(scores, max(scores) + 1) if scores else 0
    if scored & ~within:  # a filter leaves some out
        scores = {docnum: scores[docnum] for docnum in docsets.docnums(scored & within)}
    ranked = zip(map(neg, scores.values()), scores.keys(), strict=True)  # (-score, document): best, then by number
    best = heapq.nsmallest(limit, ranked) if limit is not None else sorted(ranked)
    return [(-negated, docnum) for negated, docnum in best]


def _added(first: dict[float, int], second: dict[float, int], union: bool) -> dict[float, int]:
    """Score levels of two parts together: a document in both scores the sum; in one only (OR), that one's score."""
    combined: dict[float, int] = {}
    for score, bits in first.items():
        for other, other_bits in second.items():
            if both := bits & other_bits:
                combined[score + other] = combined.get(score + other, 0) | both
    if union:
        first_all, second_all = _union(first), _union(second)
        for levels, others in ((first, second_all), (second, first_all)):
            for score, bits in levels.items():
                if alone := bits & ~others:
                    combined[score] = combined.get(score, 0) | alone
    return combined


def _union(levels: dict[float, int]) -> int:
    found = 0
    for bits in levels.values():
        found |= bits
    return found


def _best_of_levels(levels: dict[float, int], matched: int, limit: int | None) -> list[tuple[float, int]]:
    """(score, document number) of the best ``limit`` matches, best first and ties in document order, as Whoosh
    ranks them."""
    best: list[tuple[float, int]] = []
    for score in sorted(levels, reverse=True):
        for docnum in docsets.docnums(levels[score] & matched):
            best.append((score, docnum))
            if limit is not None and len(best) >= limit:
                return best
    return best


def _segment_prefix(leaf, segid, fieldname: str, prefix: str) -> list[tuple[bytes, int]]:
    """(word, documents holding it) of one segment's words beginning so, in one pass over its term list (kept per
    segment, which never changes: after a commit only the new segment is read)."""
    if segid is not None and (kept := _prefix_words.get((segid, fieldname, prefix))) is not None:
        return kept
    words = [(word, info.doc_frequency()) for word, info in leaf.iter_prefix(fieldname, prefix)]
    if segid is not None:
        _prefix_words.put((segid, fieldname, prefix), words)
    return words


_prefix_words = BoundedCache(256)  # (segment, field, prefix) -> its words and their document counts


def leaf_postings(reader, fieldname: str, text: bytes, scorer=None):
    """A word's posting matcher in one segment without the filter of deleted documents around it: Whoosh 2.7's block
    matcher (or its list matcher, for a short list kept in the word's entry), read a block at a time by the callers."""
    matcher = reader.postings(fieldname, text, scorer=scorer)
    while hasattr(matcher, "child") and not hasattr(matcher, "_read_ids"):
        matcher = matcher.child
    return matcher


def posting_ids(reader, fieldname: str, text: bytes) -> list[int]:
    """The documents of one word in one segment, deleted ones included, read a block at a time (Whoosh's own
    ``all_ids`` takes a Python step per document: most of a common word's cost)."""
    matcher = leaf_postings(reader, fieldname, text)
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_next_block", "_atend", "_blocklength")):
        return list(reader.postings(fieldname, text).all_ids())  # not Whoosh 2.7's block postings
    found: list[int] = []
    while not matcher._atend:
        matcher._read_ids()
        found.extend(matcher._ids[:matcher._blocklength])
        matcher._next_block()
    return found


def _ranking_key(query, within) -> tuple[str, str]:
    """What a ranking of a query within a filter (None: unfiltered) is kept under."""
    return repr(query), repr(within)


def _has_set_parts(query) -> bool:
    """Whether a query has a part the fast paths answer from sets (``phrases``: a phrase from word pairs, NOT as a
    subtraction, a prefix as a union)."""
    return getattr(query, "from_sets", False) or any(_has_set_parts(child) for child in query.children())


def _checks_each_match(query) -> bool:
    """Whether finding a query's matches costs a check per candidate (a phrase reads its positions, NOT tests the
    excluded part), so matching and ranking are done in one pass rather than two."""
    if isinstance(query, (wq.Phrase, wq.Not, wq.AndNot)) and not getattr(query, "from_sets", False):
        return True
    return any(_checks_each_match(child) for child in query.children())


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


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else (
            value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        )
    return datetime.datetime(value.year, value.month, value.day)


def _text(key) -> str:
    return key.decode("utf-8") if isinstance(key, bytes) else str(key)
