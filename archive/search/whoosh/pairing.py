"""Which word pairs a segment of the index holds: the pairs of two words that are common in it.

A phrase is answered from its word pairs (``phrases.PairPhrase``) so that the positions of thousands of candidates
need not be read; but where one of its words is in few of a segment's documents, reading the positions of those few
costs little. Most pairs of a report are of such a word (a name, a number, a rare verb) and are found in that report
only, and every one was a term to write: most of a commit's terms (``bench/commit.py``). So a segment keeps the pairs
whose two words are each in at least ``COMMON_SHARE`` of its documents (the way Lucene's CommonGrams pairs only around
common words, with "common" measured in the segment being written, so no list has to be kept up to date), and
records those words; a phrase with a pair the segment does not keep checks the positions of the documents that hold
both words: at most ``COMMON_SHARE`` of the segment's, at about 25 µs each.

``codec.TermsWriter`` chooses the words while it writes a segment (it writes a text field's terms, counting their
documents, just before the field's pairs); ``phrases`` asks ``keeps_pair``. A segment made by merging others (whatever
the merge policy: ``segment_writer``'s ``add_reader``) keeps only the words common in every one of them
(``narrow_to_source``): it holds the pairs they held. A segment written before this rule (no record) holds every pair.
"""

import math

from archive.search.whoosh.analysis import PAIR_JOINER

COMMON_SHARE = 0.05  # of a segment's documents: a word in at least this many has its pairs kept
_RECORD = "archive_paired_words"  # the segment's attribute (kept in the index's table of contents): field -> words
_JOINER = PAIR_JOINER.encode()


def paired_words(segment, fieldname: str) -> frozenset[bytes] | None:
    """The words whose pairs the segment holds in this text field; None when it holds every pair."""
    return (getattr(segment, _RECORD, None) or {}).get(fieldname)


def keeps_pair(segment, fieldname: str, first: bytes, second: bytes) -> bool:
    """Whether the segment holds this pair of the text field's words wherever the two stand side by side."""
    return keeps(paired_words(segment, fieldname), first + _JOINER + second)


def choose(segment, fieldname: str, document_counts: dict[bytes, int], documents: int) -> frozenset[bytes] | None:
    """The words of the text field whose pairs the segment being written keeps (recorded on it), from each word's
    number of documents in it; None for every pair (a small segment, where every word is common)."""
    least = math.ceil(COMMON_SHARE * documents)
    common = None if least <= 1 else frozenset(word for word, count in document_counts.items() if count >= least)
    if (sources := paired_words(segment, fieldname)) is not None:  # a merge: only what every source held
        common = sources if common is None else common & sources
    _record(segment, fieldname, common)
    return common


def keeps(common: frozenset[bytes] | None, pair: bytes) -> bool:
    """Whether a pair (as the pairs field writes it) is of two of these words."""
    if common is None:
        return True
    first, _, second = pair.partition(_JOINER)
    return first in common and second in common


def narrow_to_source(segment, source, fieldnames: list[str]) -> None:
    """A segment taking in another's documents (a merge) keeps only the pairs of words common in that one too, as
    those are the pairs it holds (``choose`` then narrows them to the words common in the merged segment)."""
    for fieldname in fieldnames:
        if (words := paired_words(source, fieldname)) is not None:
            held = paired_words(segment, fieldname)
            _record(segment, fieldname, words if held is None else held & words)


def _record(segment, fieldname: str, common: frozenset[bytes] | None) -> None:
    record = dict(getattr(segment, _RECORD, None) or {})
    if common is None:
        record.pop(fieldname, None)
    else:
        record[fieldname] = common
    setattr(segment, _RECORD, record)
