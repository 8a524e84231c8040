"""Phrases and NOT answered from sets, not by reading every candidate: the fast paths of a parsed query.

Whoosh finds a phrase by reading the word positions of every document holding all its words (about 25 µs each in
pure Python), and ``a NOT b`` by testing every match of ``a`` against ``b``: a phrase of common words cost hundreds of
milliseconds. ``fast(query, catalog)`` rewrites a parsed query so that:

- **An exact phrase** of two or more words is read from its field's word pairs (``schema.pairs_of``): a two-word
  phrase is the documents of one pair term; a longer one is the documents holding every one of its pairs, whose
  positions are then checked on those few survivors only (``in_a_row``: read from the posting blocks holding a
  survivor, as Whoosh's phrase matcher would find them). A pair a segment does not keep (a word of it is in few of
  the segment's documents: ``pairing``) is left to that check, which reads the positions of the documents holding
  every word when no pair of the phrase is kept. Its score is the one
  Whoosh gives a phrase, computed the same way (its words' scores added in the same tree), so rankings do not move.
  Proximity (``"a b"~n``, ``NEAR/n``) keeps Whoosh's matcher, as does a phrase holding a one-syllable Hangul word
  (that syllable is indexed inside longer words too, where no pair holds it: ``analysis.pairs``) and any phrase of an
  index built before the pairs existed.
- **NOT** (``NOT b``, ``-b``, ``a AND NOT b``) is a set subtraction: the catalog's set of the excluded part (a term, a
  phrase, a filter value) taken from the live documents, and the matcher of the negated part lists that set with the
  score Whoosh gives it (1 per NOT, as its ``InverseMatcher``), so ``a NOT b`` ranks as before without a step per
  match of ``a``.

Scores are read the same way (``exact_scores``): a word's score in every document holding it is computed from its
posting blocks (or its term entry, for a short list: ``codec``), once per (count, length) pair, and words and phrases
combined two by two in AND and OR add them up as Whoosh's matchers do, so a page of common words is ranked without a
step of a matcher tree per match.

The rewritten parts have names of their own (``PairPhrase``, ``SetNot``), so the catalog's kept sets never mix the
two paths; the plain path stays callable (the backend's ``fast_paths``) for the tests that compare them.
"""

from array import array
from bisect import bisect_left
from itertools import filterfalse, pairwise

from whoosh import query as wq
from whoosh.codec.whoosh3 import _lenfield
from whoosh.matching import IntersectionMatcher, ListMatcher, Matcher, NullMatcher, WrappingMatcher
from whoosh.query.qcore import _NullQuery
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

from archive.search import docsets
from archive.search.whoosh import pairing, shared_scores
from archive.search.whoosh import schema as fields
from archive.search.whoosh.analysis import PAIR_JOINER, is_hangul
from archive.search.whoosh.catalog import BoundedCache, BoundedPrefix, leaf_postings, posting_ids

CHECKED_KEPT = 256  # phrases of three or more words whose checked documents are kept, per segment
_LENGTHS = [byte_to_length(byte) for byte in range(256)]  # a field length as the index keeps it (a byte) -> words


def fast(query, catalog):
    """The query with each exact phrase read from word pairs, each NOT read as a set subtraction and each prefix as
    the union of its words' documents; the query itself when it has none of them."""
    if isinstance(query, (PairPhrase, SetNot, SetPrefix, _NullQuery)):
        return query
    if isinstance(query, wq.Prefix) and query.text:
        words = getattr(query, "words", None) or catalog.prefix_words(query.fieldname, query.text)[0]
        return SetPrefix(query.fieldname, query.text, words, catalog, query.boost)
    if isinstance(query, wq.Phrase):
        return PairPhrase.of(query) if PairPhrase.answers(query, catalog.searcher.schema) else query
    if isinstance(query, wq.Not):
        return SetNot(fast(query.query, catalog), catalog, query.boost)
    if query.is_leaf():
        return query
    return query.apply(lambda child: fast(child, catalog))


class PairPhrase(wq.Phrase):
    """An exact phrase found from its word pairs, positions checked only where every pair is found."""

    from_sets = True  # the catalog need not match and rank it in one pass (catalog._checks_each_match)

    @classmethod
    def answers(cls, phrase: wq.Phrase, schema) -> bool:
        words = phrase.words
        return (phrase.slop == 1 and len(words) >= 2 and all(isinstance(word, str) for word in words)
                and fields.has_pairs(schema, phrase.fieldname)
                and not any(len(word) == 1 and is_hangul(word) for word in words))

    @classmethod
    def of(cls, phrase: wq.Phrase) -> "PairPhrase":
        return cls(phrase.fieldname, list(phrase.words), slop=1, boost=phrase.boost, char_ranges=phrase.char_ranges)

    def matcher(self, searcher, context=None):
        """Whoosh's phrase matcher without its position reading: the same tree of the words' matchers (so the same
        scores), stepping only through the documents that hold the phrase."""
        found = self.segment_documents(searcher)
        if not found:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        matchers = [wq.Term(self.fieldname, field.to_bytes(word)).matcher(searcher, context) for word in self.words]
        matcher = Listed(found, make_binary_tree(IntersectionMatcher, matchers))
        return WrappingMatcher(matcher, boost=self.boost) if self.boost != 1.0 else matcher

    def documents_in(self, searcher) -> int:
        """The set of a segment's documents holding the phrase (deleted ones may be among them)."""
        return docsets.from_docnums(self.segment_documents(searcher), searcher.reader().doc_count_all())

    def segment_documents(self, searcher) -> list[int]:
        """The documents of one segment holding the phrase (deleted ones may be among them), ascending."""
        if self.fieldname not in searcher.schema:
            return []
        field = searcher.schema[self.fieldname]
        if any((self.fieldname, field.to_bytes(word)) not in searcher.reader() for word in self.words):
            return []
        return self._documents(searcher)

    def _documents(self, searcher) -> list[int]:
        """The segment's documents holding the phrase, ascending: for two words whose pair the segment holds, that
        pair's; else those where the words stand in a row among the documents holding every pair it holds (kept per
        segment: the ranking asks again)."""
        reader = searcher.reader()
        pairs_field = fields.pairs_of(self.fieldname)
        segment = reader.segment() if hasattr(reader, "segment") else None
        field = searcher.schema[self.fieldname]
        words = self.words
        held = sorted({f"{first}{PAIR_JOINER}{second}" for first, second in pairwise(words)
                       if pairing.keeps_pair(segment, self.fieldname, first.encode(), second.encode())},
                      key=lambda pair: reader.doc_frequency(pairs_field, pair))
        if any((pairs_field, pair) not in reader for pair in held):
            return []
        if len(words) == 2 and held:
            found = posting_ids(reader, pairs_field, held[0])
            return _live_only(reader, found)
        key = (_segment_key(reader), reader.doc_count(), self.fieldname, tuple(words))  # deletions change it
        if (kept := _checked.get(key)) is not None:
            return docsets.docnums(kept)
        survivors = None
        for pair in held:
            found = posting_ids(reader, pairs_field, pair)
            survivors = set(found) if survivors is None else survivors.intersection(found)
            if not survivors:
                break
        # No pair held: the positions of the few documents holding every word (pairing.py).
        found = in_a_row(reader, self.fieldname, [field.to_bytes(word) for word in words],
                         None if survivors is None else sorted(survivors))
        _checked.put(key, docsets.from_docnums(found, reader.doc_count_all()))
        return found

    def scored(self, documents: list[int], words: list[dict[int, float]]) -> dict[int, float]:
        """Each of these documents' score (all of them hold the phrase) from its words' (``words``, in the phrase's
        order), as the matcher gives it: added up in Whoosh's tree, the boost applied."""
        if len(words) == 2:  # most phrases: Whoosh's tree of two adds them
            first, second = words
            found = {docnum: first[docnum] + second[docnum] for docnum in documents}
        else:
            found = {docnum: _tree_sum([word[docnum] for word in words]) for docnum in documents}
        boost = self.boost
        return found if boost == 1.0 else {docnum: score * boost for docnum, score in found.items()}


def in_a_row(reader, fieldname: str, words: list[bytes], candidates: list[int] | None) -> list[int]:
    """The live documents of a segment (among ``candidates``, ascending; among those holding every word when None)
    where the words stand in a row, as Whoosh's phrase matcher finds them: the n-th word at the first's position + n.
    Each word's positions are read for the remaining candidates only, a posting block at a time; Whoosh's matcher
    takes about 300 µs a candidate of a phrase of common words, in its spans."""
    if any((fieldname, word) not in reader for word in words):
        return []
    distinct = sorted(set(words), key=lambda word: reader.doc_frequency(fieldname, word))
    if candidates is None:
        common = None
        for word in distinct:
            ids = posting_ids(reader, fieldname, word)
            common = set(ids) if common is None else common.intersection(ids)
            if not common:
                return []
        candidates = sorted(common)
    candidates = _live_only(reader, candidates)
    decode = reader.schema[fieldname].format.decode_positions
    positions: dict[bytes, dict[int, bytes]] = {}
    for word in distinct:  # the rarest first: each word narrows the candidates of the next
        positions[word] = held = _values_of(reader, fieldname, word, candidates)
        candidates = [docnum for docnum in candidates if docnum in held]
        if not candidates:
            return []
    found = []
    first, rest = positions[words[0]], [(offset, positions[word]) for offset, word in enumerate(words[1:], 1)]
    for docnum in candidates:
        starts = set(decode(first[docnum]))
        for offset, held in rest:
            starts.intersection_update([position - offset for position in decode(held[docnum])])
            if not starts:
                break
        else:
            found.append(docnum)
    return found


def _live_only(reader, documents: list[int]) -> list[int]:
    """These documents of a segment without its deleted ones (filtered in C: a common pair lists thousands)."""
    if not reader.has_deletions():
        return documents
    segment = reader.segment() if hasattr(reader, "segment") else None
    deleted = set(segment.deleted_docs()) if segment is not None else {
        docnum for docnum in documents if reader.is_deleted(docnum)}
    return list(filterfalse(deleted.__contains__, documents))


def _values_of(reader, fieldname: str, word: bytes, candidates: list[int]) -> dict[int, bytes]:
    """Document -> the word's posting value there (its encoded positions), for those of ``candidates`` (ascending)
    holding it: from its entry, or from the posting blocks that hold a candidate only."""
    matcher = leaf_postings(reader, fieldname, word)
    found: dict[int, bytes] = {}
    if type(matcher) is ListMatcher:  # a short list, kept in the word's entry (codec.py)
        values = dict(zip(matcher._ids, matcher._values, strict=True))
        return {docnum: values[docnum] for docnum in candidates if docnum in values}
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_read_values", "_next_block", "_maxid")):
        for docnum in candidates:  # not Whoosh 2.7's block postings: its matcher, a step a candidate
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found[docnum] = matcher.value()
        return found
    at, last = 0, len(candidates)
    while at < last and not matcher._atend:
        if matcher._maxid < candidates[at]:
            matcher._next_block()
            continue
        matcher._read_ids()
        ids, count, values, i = matcher._ids, matcher._blocklength, None, 0
        while at < last and candidates[at] <= matcher._maxid:
            docnum = candidates[at]
            i = bisect_left(ids, docnum, i, count)
            if i < count and ids[i] == docnum:
                if values is None:
                    matcher._read_values()
                    values = matcher._values
                found[docnum] = values[i]
            at += 1
        matcher._next_block()
    return found


def word_scores(searcher, context, fieldname: str, word: bytes) -> dict[int, float] | None:
    """Segment document number -> the word's score in it, as its matcher gives it, for every document holding it
    (deleted ones included), computed from the posting blocks instead of a step of a matcher per document; None where
    the postings or the scorer are not Whoosh 2.7's own."""
    reader = searcher.reader()
    weighting = context.weighting if context is not None else searcher.weighting
    scorer = weighting.scorer(searcher, fieldname, word)
    matcher = leaf_postings(reader, fieldname, word, scorer)
    lengths = getattr(getattr(reader, "_perdoc", None), "_readers", {}).get(_lenfield(fieldname))
    if not (hasattr(scorer, "_score") and isinstance(lengths, bytes)):
        return None
    if type(matcher) is ListMatcher and matcher._weights:  # a short list, kept in the word's entry (codec.py)
        blocks = [(matcher._ids, matcher._weights)]
    elif hasattr(matcher, "_read_weights"):
        blocks = _blocks(matcher)
    else:
        return None
    known = _ScoreOf(scorer._score)
    found: dict[int, float] = {}
    for ids, weights in blocks:  # a posting's score looked up by its (count, length) in C, computed once per pair
        found.update(zip(ids, map(known.__getitem__, zip(weights, map(lengths.__getitem__, ids), strict=True)),
                         strict=True))
    return found


class _ScoreOf(dict):
    """(count of the word, length byte of the document) -> the word's score there: a word's score depends on these
    two only, so each pair is scored once (as the scorer's ``dfl()`` reads a length byte)."""

    def __init__(self, score):
        super().__init__()
        self.score = score

    def __missing__(self, key: tuple[float, int]) -> float:
        value = self[key] = self.score(key[0], _LENGTHS[key[1]])
        return value


def _blocks(matcher):
    """(documents, weights) of each posting block of a Whoosh 2.7 posting list, in order."""
    while not matcher._atend:
        matcher._read_ids()
        matcher._read_weights()
        count = matcher._blocklength
        yield matcher._ids[:count], matcher._weights[:count]
        matcher._next_block()


def _tree_sum(scores: list[float]) -> float:
    """Scores added up in the order of Whoosh's binary tree of intersections (``make_binary_tree``)."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _tree_sum(scores[:half]) + _tree_sum(scores[half:])


def exact_scores(query, catalog) -> dict[int, float] | None:
    """Document number -> score of every match of a query made of words, exact phrases (``PairPhrase``) and NOT
    (``SetNot``), alone or two by two in OR and AND (as a word's text and title parts are, two words, and a word and
    a NOT), as Whoosh's matchers score them (two scores added in either order give the same float); None for any other
    query."""
    if type(query) is wq.Term:
        return _term_scores(query, catalog)
    if isinstance(query, PairPhrase):
        documents = docsets.docnums(catalog.matching(query))  # its live documents, kept by the catalog
        if not documents:
            return {}
        words = [word_scores_of(catalog, query.fieldname, word) for word in query.words]
        return None if any(word is None for word in words) else query.scored(documents, words)
    if isinstance(query, SetNot):  # 1 for each document it lists, as its matcher scores them
        return dict.fromkeys(docsets.docnums(catalog.matching(query)), 1.0)
    if (not isinstance(query, (wq.And, wq.Or)) or len(query.subqueries) != 2 or getattr(query, "minmatch", 0)
            or getattr(query, "scale", None)):
        return None
    first, second = (exact_scores(part, catalog) for part in query.subqueries)
    if first is None or second is None:
        return None
    if isinstance(query, wq.And):
        combined = {docnum: score + second[docnum] for docnum, score in first.items() if docnum in second}
    else:
        combined = {**second, **first}
        for docnum in first.keys() & second.keys():
            combined[docnum] = first[docnum] + second[docnum]
    return combined if query.boost == 1.0 else {docnum: score * query.boost for docnum, score in combined.items()}


def _term_scores(query: wq.Term, catalog) -> dict[int, float] | None:
    """Document number -> the word's score in each live document holding it (its boost applied as Whoosh's wrapping
    matcher applies it)."""
    found = word_scores_of(catalog, query.fieldname, query.text)
    if found is None or query.boost == 1.0:
        return found
    return {docnum: score * query.boost for docnum, score in found.items()}


def word_scores_of(catalog, fieldname: str, text) -> dict[int, float] | None:
    """Document number -> the word's score in each live document holding it (``word_scores``), kept by the catalog
    for the next searches of its generation (a common word recurs in a mix of searches, and its scores cost a step a
    posting); None where the field is not scored or the postings or the scorer are not Whoosh 2.7's own. The caller
    must not change the dict."""
    schema = catalog.searcher.schema
    field = schema[fieldname] if fieldname in schema else None
    if field is None or not field.scorable:
        return None
    word = field.to_bytes(text) if not isinstance(text, bytes) else text
    if (kept := catalog.scores.get((fieldname, word))) is not None:
        return dict(zip(*kept, strict=True))
    if (kept := shared_scores.read(catalog, fieldname, word)) is not None:  # another process scored it
        catalog.scores.put((fieldname, word), kept)
        return dict(zip(*kept, strict=True))
    context = catalog.searcher.context()
    found: dict[int, float] = {}
    for searcher, offset in catalog.searcher.leaf_searchers():
        reader = searcher.reader()
        live = catalog.segment_set(reader, catalog.live)
        if live is None:
            return None
        if (fieldname, word) not in reader:
            continue
        if (scores := word_scores(searcher, context, fieldname, word)) is None:
            return None
        everything = (1 << reader.doc_count_all()) - 1
        if live != everything:  # the segment's deleted documents (a few) taken out, rather than a test a posting
            for docnum in docsets.docnums(everything & ~live):
                scores.pop(docnum, None)
        found.update(zip(map(offset.__add__, scores.keys()), scores.values(), strict=True))
    kept = (array("I", found.keys()), array("d", found.values()))
    catalog.scores.put((fieldname, word), kept)
    shared_scores.share(catalog, fieldname, word, kept)
    return found


class SetNot(wq.Not):
    """NOT as a set subtraction on the catalog's sets; each document left scores 1, as Whoosh's NOT matcher gives."""

    from_sets = True  # the catalog subtracts its set (catalog.matching)
    constant_score = True  # every match scores 1 (catalog.Catalog._levels)

    def __init__(self, query, catalog, boost=1.0):
        super().__init__(query, boost)
        self.catalog = catalog

    def apply(self, fn):
        return self.__class__(fn(self.query), self.catalog, self.boost)

    def matcher(self, searcher, context=None):
        allowed = self.catalog.segment_set(searcher.reader(), self.catalog.matching(self))
        if allowed is None:  # not a segment of the catalog's searcher
            return super().matcher(searcher, context)
        return Listed(docsets.docnums(allowed), score=1.0)


class SetPrefix(BoundedPrefix):
    """A prefix read as the union of its words' documents (each segment's union kept), every match scoring alike, as
    ``BoundedPrefix`` scores them; a segment holding one word of it only reads that word's matcher."""

    from_sets = True  # ranked on its matches only (catalog._has_set_parts)
    constant_score = True  # every match scores ``boost`` (catalog.Catalog._levels)

    def __init__(self, fieldname, text, words: tuple[bytes, ...], catalog, boost=1.0):
        super().__init__(fieldname, text, words, boost=boost)
        self.catalog = catalog

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        allowed = self.catalog.segment_set(reader, self.catalog.live)
        if len(self._btexts(reader)) < 2 or allowed is None:
            return super().matcher(searcher, context)
        return Listed(docsets.docnums(self.documents_in(searcher) & allowed), score=self.boost)

    def documents_in(self, searcher) -> int:
        """The set of a segment's documents holding a word of the prefix (deleted ones too), kept per segment."""
        reader = searcher.reader()
        present = self._btexts(reader)
        key = (_segment_key(reader), self.fieldname, tuple(present))
        if (found := _unions.get(key)) is None:
            documents = set()
            for word in present:
                documents.update(posting_ids(reader, self.fieldname, word))
            found = docsets.from_docnums(documents, reader.doc_count_all())
            _unions.put(key, found)
        return found


def _segment_key(reader):
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else id(reader)


class Listed(Matcher):
    """The documents of an ascending list, scored by ``child`` (which holds every one of them: it is skipped to each)
    or, without one, all with the same ``score``."""

    def __init__(self, ids: list[int], child=None, score: float = 1.0, at: int = 0):
        self.ids, self.child, self._score, self.at = ids, child, score, at
        self._sync()

    def _sync(self):
        if self.child is not None and self.at < len(self.ids):
            target = self.ids[self.at]
            if self.child.id() != target:
                self.child.skip_to(target)

    def is_active(self):
        return self.at < len(self.ids)

    def id(self):
        return self.ids[self.at]

    def next(self):
        self.at += 1
        self._sync()

    def skip_to(self, id):
        if self.at < len(self.ids) and id > self.ids[self.at]:
            self.at = bisect_left(self.ids, id, self.at)
            self._sync()

    def all_ids(self):
        return iter(self.ids[self.at:])

    def reset(self):
        raise NotImplementedError("Listed matchers are read once, forwards.")

    def copy(self):
        return Listed(self.ids, self.child.copy() if self.child is not None else None, self._score, self.at)

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def supports_block_quality(self):
        return False  # Whoosh's block skipping in an intersection can pass over a document that ranks

    def max_quality(self):
        return self.child.max_quality() if self.child is not None else self._score

    def block_quality(self):
        return self.max_quality()

    def children(self):
        return [self.child] if self.child is not None else []

    def supports(self, astype):
        return self.child.supports(astype) if self.child is not None else False

    def value(self):
        return self.child.value() if self.child is not None else None

    def weight(self):
        return self.child.weight() if self.child is not None else self._score

    def score(self):
        return self.child.score() if self.child is not None else self._score


_checked = BoundedCache(CHECKED_KEPT)  # (segment, field, words) -> the set of its documents holding the phrase
_unions = BoundedCache(CHECKED_KEPT)  # (segment, field, words of a prefix) -> the set of documents holding any


def cache_sizes() -> dict[str, tuple[int, int]]:
    """This module's caches, name -> (entries now, most entries kept)."""
    return {"phrases: a segment's documents holding a phrase": (len(_checked), _checked.size),
            "phrases: a segment's documents holding a prefix": (len(_unions), _unions.size)}
