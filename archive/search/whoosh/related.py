"""Reports like a report: the report's key terms, OR-ed and ranked by BM25, the report itself left out.

Whoosh's ``Searcher.more_like`` did the same at a cost that was most of an article page: it looked each of the
report's few hundred words up three or four times in every segment's term file (read from disk, not mapped), picked
words found in this report only (which match nothing else), and counted every match of the OR for a total nobody
reads. Here each word is looked up once a segment, the counts of the words seen before come from a bounded cache
(the common words of one report are those of the next), only words another report holds can be key terms, the OR is
ranked for its top only, and the answer is kept for the index generation (``Catalog.related``).

Key terms are chosen by Whoosh's own Bo1 model (``classify.Bo1Model``: frequent in the report, rare in the archive), so
the choice is the one ``more_like`` made among the words it could match.
"""

import heapq
from collections import Counter

from whoosh import classify
from whoosh import query as wq
from whoosh.reading import TermNotFound

from archive.search import docsets
from archive.search.whoosh import phrases
from archive.search.whoosh.catalog import BoundedCache

KEY_TERMS = 12  # words OR-ed: more find more reports sharing fewer words, each costing its posting list
TERM_COUNTS_KEPT = 50_000  # (segment, field, word) -> its counts: about 8 MB, most of the words reports share


def similar(searcher, catalog, docnum: int, fieldname: str, top: int, narrowing=None) -> list[tuple[float, int]]:
    """(score, document number) of the ``top`` reports most like this one, best first, within ``narrowing`` (a
    query) if given; kept per index generation, so a second visit to a report reads nothing."""
    key = (docnum, fieldname, top, repr(narrowing))
    if (found := catalog.related.get(key)) is None:
        terms = key_terms(searcher, catalog, docnum, fieldname, KEY_TERMS)
        scores = _scores(searcher, catalog, fieldname, terms)
        scores.pop(docnum, None)
        within = docsets.as_bytes(catalog.matching(narrowing)) if narrowing is not None else None
        found = heapq.nsmallest(top, ((score, number) for number, score in scores.items()
                                      if within is None or docsets.contains(within, number)),
                                key=lambda item: (-item[0], item[1]))
        catalog.related.put(key, found)
    return found


def _scores(searcher, catalog, fieldname: str, terms: list[tuple[bytes, float]]) -> dict[int, float]:
    """Live document number -> its score for the OR of these weighted words (the sum of their BM25 scores, as
    Whoosh's ``Or`` of boosted terms adds them), each word's scores read from its posting lists at once
    (``phrases.exact_scores``; a step of its matcher per document where that cannot): Whoosh's top-N search of the OR
    cost more in setting up its union of a dozen lists than the few hundred postings of rare words cost to read."""
    scores: dict[int, float] = {}
    for word, weight in terms:
        query = wq.Term(fieldname, word.decode("utf-8"), boost=weight)
        found = phrases.exact_scores(query, catalog)
        if found is None:
            found = _matcher_scores(query.matcher(searcher, searcher.context()))
        for number, score in found.items():
            scores[number] = scores.get(number, 0.0) + score
    return scores


def _matcher_scores(matcher) -> dict[int, float]:
    """Live document number -> score, one step of the matcher each."""
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


def key_terms(searcher, catalog, docnum: int, fieldname: str, number: int) -> list[tuple[bytes, float]]:
    """The report's ``number`` best words by Bo1 with their scores, best first, among the words some other report
    holds too (a word of this report alone would match nothing)."""
    stored = searcher.stored_fields(docnum).get(fieldname)
    if not stored:
        return []
    field = searcher.schema[fieldname]
    in_report = Counter()
    for word, _positions, weight, _payload in field.index(stored):
        in_report[word] += weight
    model = classify.Bo1Model(searcher.doc_count_all(), searcher.reader().field_length(fieldname))
    leaves = [(leaf, segid) for leaf, _offset, segid in catalog.leaves]
    scored = []
    for word, weight in in_report.items():
        documents, occurrences = _counts(leaves, fieldname, word)
        if documents >= 2:
            scored.append((model.score(weight, occurrences, 0), word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(word, score) for score, word in scored[:number]]


def _counts(leaves, fieldname: str, word: bytes) -> tuple[int, float]:
    """(documents holding the word, its occurrences) over the segments, each segment's read once and kept."""
    documents, occurrences = 0, 0.0
    for leaf, segid in leaves:
        key = (segid, fieldname, word)
        counts = _term_counts.get(key) if segid is not None else None
        if counts is None:
            try:
                info = leaf.term_info(fieldname, word)
                counts = (info.doc_frequency(), info.weight())
            except TermNotFound:
                counts = (0, 0.0)
            if segid is not None:
                _term_counts.put(key, counts)
        documents += counts[0]
        occurrences += counts[1]
    return documents, occurrences


_term_counts = BoundedCache(TERM_COUNTS_KEPT)


def cache_sizes() -> dict[str, tuple[int, int]]:
    return {"related: counts of a segment's word": (len(_term_counts), _term_counts.size)}
