"""The index codec writes what Whoosh's own writer would: the fast path for presence-only terms (word pairs, ids)
changes the cost of a commit, never a byte of the index. (Both keep every pair here: which pairs a segment keeps is
``pairing``'s, pinned in tests/test_word_pairs_kept.py.) The codec the archive writes with keeps each posting block's
positions apart, and reads back exactly the postings the codec before it wrote, beside segments that codec wrote."""

import random
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh import query as wq
from whoosh.fields import FieldType
from whoosh.filedb.filestore import RamStorage

from archive.search.whoosh import pairing, scoring
from archive.search.whoosh.analysis import pairs
from archive.search.whoosh.catalog import Catalog, posting_ids
from archive.search.whoosh.codec import (
    INLINE_LIMIT,
    ArchiveCodec,
    PositionsApartCodec,
    PositionsApartMatcher,
    WhooshTermsCodec,
)
from archive.search.whoosh.phrases import in_a_row, word_scores
from archive.search.whoosh.schema import PairsField
from tests.index_helpers import every_posting

WORDS = [f"w{n}" for n in range(12)]


def schema() -> fields.Schema:
    return fields.Schema(id=fields.ID(stored=True, unique=True), text=fields.TEXT(phrase=True),
                         text_pairs=PairsField(), tags=fields.KEYWORD(commas=True))


@contextmanager
def every_pair_kept():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pairing, "COMMON_SHARE", 0.0)
        yield


def written_files(codec, documents: list[dict]) -> dict[str, bytes]:
    """The bytes of each file of the one segment these documents are committed as, by extension."""
    storage = RamStorage()
    index = storage.create_index(schema())
    writer = index.writer(codec=codec, compound=False)  # a file per part, named by kind
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    [segment] = index._segments()
    return {name.rsplit(".", 1)[-1]: storage.open_file(name).read() for name in storage.list()
            if name.startswith(segment.segment_id())}


documents = st.lists(
    st.builds(lambda words, tags: {"text": " ".join(words), "tags": ",".join(tags)},
              st.lists(st.sampled_from(WORDS), min_size=0, max_size=30), st.lists(st.sampled_from(WORDS[:3]))),
    min_size=1, max_size=3 * INLINE_LIMIT)


@settings(max_examples=40, deadline=None)
@given(documents)
def test_the_fast_path_writes_the_bytes_whoosh_writes(documents):
    documents = [{**document, "id": str(n), "text_pairs": document["text"]} for n, document in enumerate(documents)]
    with every_pair_kept():
        fast, plain = written_files(ArchiveCodec(), documents), written_files(WhooshTermsCodec(), documents)
    assert fast.keys() == plain.keys() and {"trm", "pst"} <= fast.keys()
    assert fast == plain


@every_pair_kept()
def test_a_pair_in_many_reports_gets_a_block_and_one_in_few_stays_in_its_entry():
    common = [{"id": str(n), "text": "food prices rose", "text_pairs": "food prices rose"}
              for n in range(INLINE_LIMIT + 4)]
    rare = [{"id": "rare", "text": "grain requisition", "text_pairs": "grain requisition"}]
    assert written_files(ArchiveCodec(), common + rare) == written_files(WhooshTermsCodec(), common + rare)
    storage = RamStorage()
    index = storage.create_index(schema())
    writer = index.writer(codec=ArchiveCodec())
    for document in common + rare:
        writer.add_document(**document)
    writer.commit()
    with index.reader() as reader:
        [food_prices] = pairs("food prices")
        [grain_requisition] = pairs("grain requisition")
        written = {text.decode() for text in reader.lexicon("text_pairs")}
        assert written == pairs("food prices rose") | pairs("grain requisition")
        assert not reader.term_info("text_pairs", food_prices).is_inlined()
        assert reader.doc_frequency("text_pairs", food_prices) == INLINE_LIMIT + 4
        assert reader.term_info("text_pairs", grain_requisition).is_inlined()
        assert reader.doc_frequency("id", "rare") == 1


pieces = st.sampled_from(["May Day", "U.S. imperialists", "the USA", "혜산시에서", "쌀", "가격이", "P'yŏngyang", "Kim's",
                          "\n\n", "a", "the", "US", "UN", "단속", "O", "Ri", *WORDS])


@settings(max_examples=60, deadline=None)
@given(st.lists(pieces, max_size=40).map(" ".join))
def test_the_pairs_field_indexes_what_whooshs_tokenizer_and_format_would(text):
    field = PairsField()
    assert sorted(field.index(text)) == sorted(FieldType.index(field, text))


def committed(documents: list[dict], *codecs, optimize=False):
    """An index in memory holding these documents, a segment for each codec (the documents shared out in turn)."""
    index = RamStorage().create_index(schema())
    for n, codec in enumerate(codecs):
        writer = index.writer(codec=codec)
        for document in documents[n::len(codecs)]:
            writer.add_document(**document)
        writer.commit(optimize=optimize and n == len(codecs) - 1)
    return index


many_documents = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join),
                          min_size=1, max_size=400).map(
    lambda texts: [{"id": str(n), "text": text, "text_pairs": text, "tags": text.split()[0]}
                   for n, text in enumerate(texts)])


@settings(max_examples=25, deadline=None)
@given(many_documents)
def test_positions_kept_apart_read_back_as_the_codec_before_wrote_them(documents):
    """Up to 400 documents of 12 words: the common words' postings run to several blocks of 128."""
    with every_pair_kept():
        assert every_posting(committed(documents, PositionsApartCodec())) == every_posting(
            committed(documents, ArchiveCodec()))


@settings(max_examples=15, deadline=None)
@given(many_documents, st.booleans())
def test_segments_of_both_codecs_answer_together_and_merge(documents, optimize):
    with every_pair_kept():
        mixed = committed(documents, ArchiveCodec(), PositionsApartCodec(), optimize=optimize)
        assert every_posting(mixed) == every_posting(committed(documents, ArchiveCodec()))
    codecs = {type(segment.codec()) for segment in mixed._segments()}
    assert codecs == ({PositionsApartCodec} if optimize else  # merged into one segment by the new codec
                      {ArchiveCodec, PositionsApartCodec} if len(documents) > 1 else {ArchiveCodec})
    with mixed.searcher() as searcher:
        phrase = wq.Phrase("text", ["w1", "w2"])
        expected = {document["id"] for document in documents if " w1 w2" in f" {document['text']} "}
        assert {hit["id"] for hit in searcher.search(phrase, limit=None)} == expected


def test_which_documents_hold_a_word_and_their_scores_are_read_without_its_positions(monkeypatch):
    documents = [{"id": str(n), "text": f"food prices {WORDS[n % 12]}", "text_pairs": "", "tags": "w0"}
                 for n in range(300)]
    index = committed(documents, PositionsApartCodec())
    monkeypatch.setattr(PositionsApartMatcher, "_read_values", lambda matcher: pytest.fail("positions read"))
    with index.searcher(weighting=scoring.weighting()) as searcher:
        Catalog(searcher)  # holds the field lengths in memory, as the archive's searches do
        [(leaf, _offset)] = searcher.reader().leaf_readers()
        assert not leaf.term_info("text", "food").is_inlined()
        assert len(posting_ids(leaf, "text", b"food")) == 300
        [(subsearcher, _)] = searcher.leaf_searchers()
        assert len(word_scores(subsearcher, searcher.context(), "text", b"food")) == 300


def seeded_documents(seed: int, count: int) -> list[dict]:
    """``count`` documents of 1 to 12 words, the first four words common: their postings run to several blocks."""
    rng = random.Random(seed)
    texts = [" ".join(rng.choices(WORDS, weights=[8, 8, 8, 8, *[1] * 8], k=rng.randint(1, 12))) for _ in range(count)]
    return [{"id": str(n), "text": text, "text_pairs": text, "tags": text.split()[0]} for n, text in enumerate(texts)]


phrases_of_words = st.lists(st.sampled_from(WORDS[:4] + WORDS[-1:]), min_size=1, max_size=4)  # one word: all its documents


@settings(max_examples=40, deadline=None)
@given(st.one_of(many_documents, st.builds(seeded_documents, st.integers(0, 2**32), st.integers(300, 700))),
       phrases_of_words, st.sets(st.integers(0, 699)), st.sets(st.integers(0, 699)))
def test_a_phrases_words_in_a_row_are_read_as_whooshs_phrase_matcher_finds_them(documents, words, deleted, left_out):
    """``phrases.in_a_row`` reads positions from the posting blocks (from both codecs' segments, a word in several
    blocks of 128, in its entry or absent), among every document or among given candidates, deleted ones never
    found."""
    index = committed(documents, ArchiveCodec(), PositionsApartCodec())
    with index.writer() as writer:
        for number in deleted:
            writer.delete_by_term("id", str(number))
        writer.mergetype = lambda writer, segments: segments  # keep both segments, deletions and all
    with index.searcher() as searcher:
        for subsearcher, _offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            matcher = wq.Phrase("text", words).matcher(subsearcher, subsearcher.boolean_context())
            expected = list(matcher.all_ids()) if matcher.is_active() else []
            assert in_a_row(reader, "text", [word.encode() for word in words], None) == expected
            candidates = [docnum for docnum in range(reader.doc_count_all())
                          if reader.stored_fields(docnum)["id"] not in {str(n) for n in left_out}]
            assert in_a_row(reader, "text", [word.encode() for word in words], candidates) == [
                docnum for docnum in expected if docnum in candidates]
