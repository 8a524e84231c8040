"""The archive's segment writer (postings kept by field and term, a text read in one pass) writes what Whoosh's writer
writes, byte for byte: from memory or from runs spilled to disk, when it merges segments, and from one indexing
process per core."""

import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import SegmentWriter

from archive.search.whoosh import pairing, segment_writer, writing
from archive.search.whoosh.analysis import ArchiveTokenizer, term_positions
from archive.search.whoosh.codec import ArchiveCodec, PositionsApartCodec, WhooshTermsCodec
from archive.search.whoosh.schema import PairsField
from archive.search.whoosh.segment_writer import ArchiveMpWriter, ArchiveSegmentWriter
from tests.index_helpers import every_posting

PIECES = ["May Day", "U.S. imperialists", "the USA", "혜산시에서", "쌀", "가격이", "P'yŏngyang", "Kim's", "smuggling",
          "smuggled", "\n\n", "\n", "\n \t\n", "a", "the", "US", "UN", "단속", "O", "Ri", "market", "prices", "rose",
          "in", "Hyesan"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)


def schema() -> fields.Schema:
    return fields.Schema(id=fields.ID(stored=True, unique=True),
                         text=fields.TEXT(analyzer=ArchiveTokenizer(), phrase=True, stored=True),
                         text_pairs=PairsField(), tags=fields.KEYWORD(commas=True, sortable=True))


def as_documents(texts: list[str]) -> list[dict]:
    return [{"id": str(n), "text": text, "text_pairs": text, "tags": ",".join(sorted(set(text.split()[:2])))}
            for n, text in enumerate(texts)]


def segment_files(storage, index) -> dict[str, bytes]:
    """The bytes of each file of the index's one segment, by the name's part after the segment's random id."""
    [segment] = index._segments()
    prefix = segment.segment_id()
    return {name[len(prefix):]: storage.open_file(name).read() for name in storage.list() if name.startswith(prefix)}


class WhooshMerging(SegmentWriter):
    """Whoosh's writer, keeping the word pairs of the segments it merges as the archive's writer does (a pair is kept
    where its words are common in each: ``pairing.narrow_to_source``)."""

    def add_reader(self, reader):
        pairing.narrow_to_source(self.newsegment, reader.segment(), ["text"])
        super().add_reader(reader)


def written(writer_class, documents: list[dict], codec=None, **options) -> dict[str, bytes]:
    storage = RamStorage()
    index = storage.create_index(schema())
    writer = writer_class(index, codec=codec or PositionsApartCodec(), compound=False, **options)
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    return segment_files(storage, index)


@settings(max_examples=50, deadline=None)
@given(texts)
def test_a_text_reads_as_the_tokenizer_and_the_positions_format_read_it(text):
    whoosh = {term: positions for term, _frequency, _weight, positions in
              fields.TEXT(analyzer=ArchiveTokenizer(), phrase=True).format.word_values(text, ArchiveTokenizer(),
                                                                                        mode="index")}
    encode = fields.TEXT(phrase=True).format.encode
    assert {term: encode(positions) for term, positions in term_positions(text).items()} == whoosh


@settings(max_examples=40, deadline=None)
@given(st.lists(texts, min_size=1, max_size=60))
def test_a_segment_is_written_as_whooshs_writer_writes_it(texts):
    documents = as_documents(texts)
    whoosh = written(SegmentWriter, documents)
    assert written(ArchiveSegmentWriter, documents) == whoosh
    assert {".trm", ".pst"} <= whoosh.keys()


@settings(max_examples=15, deadline=None)
@given(st.lists(texts, min_size=1, max_size=60))
def test_a_pool_spilled_to_runs_writes_the_same_segment(texts):
    documents = as_documents(texts)
    assert written(ArchiveSegmentWriter, documents, limitmb=0.002) == written(SegmentWriter, documents)


def test_a_run_is_read_back_in_chunks_of_a_bounded_number_of_postings(monkeypatch):
    """Merging the runs at the commit holds a chunk of each: a chunk is cut by its postings, not only by its terms,
    so a chunk of common words does not hold a large share of its run (a merge of 72,000 reports held 2.1 GB)."""
    monkeypatch.setattr(segment_writer, "RUN_CHUNK_POSTINGS", 50)
    chunks = []
    dump = segment_writer.pickle.dump

    def counted(chunk, *args):
        chunks.append(sum(len(postings) for _field, _term, postings in chunk))
        return dump(chunk, *args)

    monkeypatch.setattr(segment_writer.pickle, "dump", counted)
    documents = as_documents([" ".join(PIECES[n % 7:]) for n in range(200)])  # common words in most documents
    assert written(ArchiveSegmentWriter, documents, limitmb=0.2) == written(SegmentWriter, documents)
    assert len(chunks) > 3 and max(chunks) < 50 + 200  # past the bound by one term's postings (a posting a document)


@settings(max_examples=10, deadline=None)
@given(st.lists(texts, min_size=130, max_size=300))
def test_terms_in_many_documents_are_written_a_block_at_a_time_as_whoosh_writes_them_a_posting_at_a_time(texts):
    """Blocks of 128 postings: the common words' run to several (Whoosh's own terms writer keeps every pair)."""
    documents = as_documents(texts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pairing, "COMMON_SHARE", 0.0)
        ours = written(ArchiveSegmentWriter, documents, codec=ArchiveCodec())
    assert ours == written(SegmentWriter, documents, codec=WhooshTermsCodec())


@pytest.mark.parametrize("every_pair", [True, False])
def test_merged_segments_with_deletions_are_written_as_whoosh_merges_them(every_pair, monkeypatch):
    if every_pair:
        monkeypatch.setattr(pairing, "COMMON_SHARE", 0.0)
    documents = as_documents([" ".join(PIECES[n % len(PIECES):] + PIECES[:n % 7]) for n in range(90)])

    def merged(writer_class) -> dict[str, bytes]:
        storage = RamStorage()
        index = storage.create_index(schema())
        for start in range(0, 90, 30):
            writer = writer_class(index, codec=PositionsApartCodec(), compound=False)
            for document in documents[start:start + 30]:
                writer.add_document(**document)
            writer.commit()
        writer = writer_class(index, codec=PositionsApartCodec(), compound=False)
        writer.delete_by_term("id", "31")
        writer.commit(optimize=True)
        return segment_files(storage, index)

    assert merged(ArchiveSegmentWriter) == merged(WhooshMerging)


@settings(max_examples=15, deadline=None)
@given(st.lists(texts, min_size=130, max_size=200), st.lists(st.lists(texts, min_size=1, max_size=60), min_size=1,
                                                              max_size=2), st.sets(st.integers(0, 320)),
       st.sampled_from([ArchiveCodec(), PositionsApartCodec()]), st.booleans())
def test_a_merge_reads_each_term_at_once_and_writes_what_whoosh_merges_a_posting_at_a_time(large, small, deleted,
                                                                                           codec, spilled):
    """Segments in the archive's codec of today or before (a large one: the words of every report in posting blocks,
    the others' in their entries), some documents deleted, merged from memory or through runs."""
    segments = [[f"the market {text}" for text in large], *small]
    documents = as_documents([text for segment in segments for text in segment])

    def merged(writer_class) -> dict[str, bytes]:
        storage = RamStorage()
        index = storage.create_index(schema())
        start = 0
        for segment in segments:
            writer = writer_class(index, codec=codec, compound=False)
            for document in documents[start:start + len(segment)]:
                writer.add_document(**document)
            writer.commit(merge=False)
            start += len(segment)
        writer = writer_class(index, codec=PositionsApartCodec(), compound=False,
                              **({"limitmb": 0.002} if spilled and writer_class is ArchiveSegmentWriter else {}))
        for identifier in deleted:
            writer.delete_by_term("id", str(identifier))
        writer.commit(optimize=True)
        return segment_files(storage, index) if index.doc_count() else {}

    assert merged(ArchiveSegmentWriter) == merged(WhooshMerging)


def test_one_indexing_process_per_core_writes_a_segment_each_holding_every_posting(monkeypatch):
    monkeypatch.setattr(pairing, "COMMON_SHARE", 0.0)  # segments of different sizes keep the same pairs
    documents = as_documents([" ".join(PIECES[n % len(PIECES):] + PIECES[:n % 5]) for n in range(120)])
    with tempfile.TemporaryDirectory() as folder:
        index = FileStorage(folder).create_index(schema())
        writer = ArchiveMpWriter(index, procs=2, batchsize=25, codec=PositionsApartCodec())
        for document in documents:
            writer.add_document(**document)
        writer.commit()
        assert len(index._segments()) == 2
        parallel = every_posting(index)
    single = RamStorage().create_index(schema())
    writer = SegmentWriter(single, codec=PositionsApartCodec())
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    assert parallel == every_posting(single)


def test_the_parent_of_the_indexing_processes_merges_small_segments_as_one_writer_writes_them(monkeypatch):
    """A bulk write while ten small segments wait (uploads): the multi-process writer's parent merges them."""
    monkeypatch.setattr(pairing, "COMMON_SHARE", 0.0)  # segments of different sizes keep the same pairs
    documents = as_documents([" ".join(PIECES[n % len(PIECES):] + PIECES[:n % 3]) for n in range(112)])
    with tempfile.TemporaryDirectory() as folder:
        index = FileStorage(folder).create_index(schema())
        for document in documents[:12]:
            writer = ArchiveSegmentWriter(index, codec=PositionsApartCodec())
            writer.add_document(**document)
            writer.commit(merge=False)
        writer = ArchiveMpWriter(index, procs=2, batchsize=25, codec=PositionsApartCodec())
        for document in documents[12:]:
            writer.add_document(**document)
        writer.commit(mergetype=writing.merge_small_segments)
        sizes = [segment.doc_count() for segment in index._segments()]
        assert 12 in sizes and sum(sizes) == 112  # the parent's merge, and the processes' (jobs of 25: as they took them)
        parallel = every_posting(index)
    single = RamStorage().create_index(schema())
    writer = SegmentWriter(single, codec=PositionsApartCodec())
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    assert parallel == every_posting(single)


def test_a_field_with_words_for_spelling_is_written_by_whooshs_own_path():
    """The archive keeps no spelling words (``schema.adapt``); a schema that does is written as Whoosh writes it."""
    spelling = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(spelling=True, spelling_prefix="spell_"))
    documents = [{"id": str(n), "text": text} for n, text in enumerate(["market prices", "prices rose", "a market"])]

    def files(writer_class):
        storage = RamStorage()
        index = storage.create_index(spelling)
        writer = writer_class(index, codec=PositionsApartCodec(), compound=False)
        for document in documents:
            writer.add_document(**document)
        writer.commit()
        return segment_files(storage, index)

    assert files(ArchiveSegmentWriter) == files(SegmentWriter)
