"""A segment keeps the word pairs of its common words only, and a phrase is found the same either way.

Each segment keeps the pairs whose two words are each in at least ``pairing.COMMON_SHARE`` of its documents, and
records those words; a phrase with a pair a segment does not keep reads the positions of the documents that hold its
words (few, by the rule). Whatever the share, after the commits, the merges of small segments and a merge of every
segment: every pair of two recorded words is there for every document that has it, and each phrase finds exactly
what Whoosh's phrase matcher finds.
"""

from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from archive.search.whoosh import pairing, phrases, writing
from archive.search.whoosh.analysis import ArchiveTokenizer, pairs
from archive.search.whoosh.catalog import BoundedCache, posting_ids
from archive.search.whoosh.codec import ArchiveCodec
from archive.search.whoosh.phrases import PairPhrase
from archive.search.whoosh.schema import PairsField
from archive.search.whoosh.segment_writer import ArchiveSegmentWriter

WORDS = [f"w{n}" for n in range(10)]


def schema() -> fields.Schema:
    return fields.Schema(id=fields.ID(stored=True, unique=True),
                         text=fields.TEXT(analyzer=ArchiveTokenizer(), phrase=True, stored=True),
                         text_pairs=PairsField())


@contextmanager
def common_share(share: float, merge_factor: int = writing.MERGE_FACTOR):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pairing, "COMMON_SHARE", share)
        patch.setattr(writing, "MERGE_FACTOR", merge_factor)
        yield


def index_of(batches: list[list[str]], deleted: set[int] = frozenset(), optimize: bool = False):
    """An index written one commit per batch by the archive's writer (small segments merged as the archive merges
    them), with the documents numbered in ``deleted`` removed after their batch; and all merged into one at the end
    if ``optimize`` (as any other merge policy would merge them)."""
    index = RamStorage().create_index(schema())
    number = 0
    for batch in batches:
        writer = ArchiveSegmentWriter(index, codec=ArchiveCodec())
        for text in batch:
            writer.add_document(id=str(number), text=text, text_pairs=text)
            number += 1
        writer.commit(mergetype=writing.merge_small_segments)
        for gone in sorted(deleted):
            if gone < number:
                writer = ArchiveSegmentWriter(index, codec=ArchiveCodec())
                writer.delete_by_term("id", str(gone))
                writer.commit(mergetype=writing.merge_small_segments)
    if optimize:
        ArchiveSegmentWriter(index, codec=ArchiveCodec()).commit(optimize=True)
    return index


def test_a_segment_keeps_the_pairs_of_its_common_words_only():
    documents = ["food prices rose"] * 39 + ["grain requisition"]
    with common_share(0.05):
        index = index_of([documents])
    [segment] = index._segments()
    with index.reader() as reader:
        written = {text.decode() for text in reader.lexicon("text_pairs")}
    assert written == pairs("food prices rose")
    assert not pairs("grain requisition") & written
    assert {b"food", b"price", b"rose"} <= pairing.paired_words(segment, "text")
    assert b"grain" not in pairing.paired_words(segment, "text")
    with common_share(0.0):
        assert pairs("grain requisition") <= pairs_written(index_of([documents]))


def test_a_small_segment_keeps_every_pair_and_says_so():
    with common_share(0.05):
        index = index_of([["grain requisition", "food prices"]])
    [segment] = index._segments()
    assert pairing.paired_words(segment, "text") is None
    assert pairs_written(index) == pairs("grain requisition") | pairs("food prices")


def test_a_segment_written_before_the_rule_holds_every_pair():
    class Older:  # a segment unpickled from an index written before pairing: no record
        pass

    assert pairing.keeps_pair(Older(), "text", b"grain", b"requisit")


texts = st.lists(st.sampled_from(WORDS + ["w0 w1", "w1 w0 w1"]), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.lists(texts, min_size=1, max_size=12), min_size=1, max_size=6),
       share=st.sampled_from([0.0, 0.1, 0.3, 0.6, 1.0]), deleted=st.sets(st.integers(0, 40), max_size=6),
       phrase=st.lists(st.sampled_from(WORDS[:4]), min_size=2, max_size=4), optimize=st.booleans())
def test_every_pair_of_recorded_words_is_there_and_phrases_find_what_whoosh_finds(batches, share, deleted, phrase,
                                                                                 optimize):
    with common_share(share, merge_factor=3):
        index = index_of(batches, deleted, optimize)
    # Hypothesis seeds ``random`` for each example, so Whoosh's random segment ids recur: a fresh cache of phrases
    phrases._checked = BoundedCache(phrases.CHECKED_KEPT)
    with index.searcher() as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            segment = reader.segment()
            for docnum, stored in reader.iter_docs():
                for pair in pairs(stored["text"]):
                    first, second = pair.encode().split(b" ")
                    if pairing.keeps_pair(segment, "text", first, second):
                        assert docnum in posting_ids(reader, "text_pairs", pair.encode()), (pair, share)
            fast = PairPhrase("text", phrase).segment_documents(leaf)
            plain = list(wq.Phrase("text", phrase).matcher(leaf, leaf.boolean_context()).all_ids())
            assert fast == plain, (phrase, share)


def pairs_written(index) -> set[str]:
    with index.reader() as reader:
        return {text.decode() for text in reader.lexicon("text_pairs")}
