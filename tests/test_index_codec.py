"""The index codec writes what Whoosh's own writer would: the fast path for presence-only terms (word pairs, ids)
changes the cost of a commit, never a byte of the index. (Both keep every pair here: which pairs a segment keeps is
``pairing``'s, pinned in tests/test_word_pairs_kept.py.)"""

from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh.fields import FieldType
from whoosh.filedb.filestore import RamStorage

from archive.search.whoosh import pairing
from archive.search.whoosh.analysis import pairs
from archive.search.whoosh.codec import INLINE_LIMIT, ArchiveCodec, WhooshTermsCodec
from archive.search.whoosh.schema import PairsField

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
