"""How the index is written at scale: a backlog by parallel processes, a lost process's work never silently dropped,
and segments merged only while merging is cheap."""

import os

import pytest
from django.core.management import call_command
from haystack import connections

from archive.models import Article, PendingIndexUpdate
from archive.search.whoosh import segment_writer, writing
from archive.search.whoosh.codec import PositionsApartCodec
from tests.search_helpers import indexed, search, titles, write_reports

BULK = writing.PARALLEL_MIN_DOCUMENTS + 200


@pytest.fixture(autouse=True)
def two_indexing_processes(settings):
    settings.ARCHIVE_INDEXING_PROCESSES = 2


def segment_sizes() -> list[int]:
    """Documents in each segment of the live index."""
    return [segment.doc_count_all() for segment in connections["default"].get_backend().index._segments()]


def test_a_backlog_is_indexed_by_parallel_processes_each_writing_its_own_segment(ingest, tmp_path):
    ingest(write_reports(tmp_path / "bulk.jsonl", BULK))  # one file: one commit, one backlog of BULK updates
    assert indexed() == Article.objects.count() == BULK
    assert len(segment_sizes()) == 2 and sum(segment_sizes()) == BULK
    assert search(q="maize").count == BULK


def test_a_write_that_loses_an_indexing_process_fails_and_its_articles_are_written_again(
        ingest, tmp_path, monkeypatch, caplog):
    def die(task):
        os._exit(1)  # the process ends without handing back its segment

    monkeypatch.setattr(segment_writer.ArchiveSubWriterTask, "run", die)  # every parallel write now loses its documents
    ingest(write_reports(tmp_path / "bulk.jsonl", BULK))
    assert f"the index holds 0 documents after a write, {BULK} were expected" in caplog.text
    # The failed write kept every row; their retries came due apart, in batches too small for parallel processes.
    assert indexed() == BULK and not PendingIndexUpdate.objects.exists()


def test_small_segments_merge_once_ten_wait_and_bulk_segments_stay_as_written(ingest, tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "SMALL_SEGMENT", 100)  # the bulk write's two segments hold 500 or more
    ingest(write_reports(tmp_path / "bulk.jsonl", BULK))
    bulk = sorted(segment_sizes())
    for number in range(writing.MERGE_FACTOR + 1):  # one commit each, as uploads and corrections come
        ingest(write_reports(tmp_path / f"one-{number}.jsonl", 1, first=BULK + number))
    sizes = segment_sizes()
    small = [size for size in sizes if size < writing.SMALL_SEGMENT]
    assert sorted(size for size in sizes if size >= writing.SMALL_SEGMENT) == bulk
    assert len(small) < writing.MERGE_FACTOR and sum(small) == writing.MERGE_FACTOR + 1
    assert indexed() == BULK + writing.MERGE_FACTOR + 1


def test_a_rebuild_writes_one_segment_per_indexing_process(ingest, tmp_path):
    ingest(write_reports(tmp_path / "bulk.jsonl", BULK))
    for number in range(3):
        ingest(write_reports(tmp_path / f"one-{number}.jsonl", 1, first=BULK + number))
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert len(segment_sizes()) == 2 and indexed() == BULK + 3


def test_a_word_of_few_reports_keeps_its_postings_in_its_term_entry_and_every_kind_of_query_reads_them(ingest, tmp_path):
    ingest(write_reports(tmp_path / "forty.jsonl", 40))  # "maize" in all 40; "17" and the pair "number 17" in one
    with connections["default"].get_backend().index.reader() as reader:
        [(segment, _base)] = reader.leaf_readers()
        assert isinstance(segment.codec(), PositionsApartCodec)
        assert segment.term_info("text", "17").is_inlined()
        assert not segment.term_info("text", "maiz").is_inlined()  # 40 reports: a block of its own
        # A pair with a word of one report in 40 is not kept (pairing.py): "number 17" is read from positions.
        assert ("text_pairs", "number 17") not in segment and ("text_pairs", "grain market") in segment
    assert titles(search(q="17")) == ["Report 17 on the grain market"]
    assert titles(search(q='"number 17"')) == ["Report 17 on the grain market"]
    assert search(q='"grain market"').count == 40
    assert search(q="maize NOT 17").count == 39 and search(q="maize -17").count == 39
    assert sorted(titles(search(q="1*"))) == sorted(f"Report {n} on the grain market" for n in [1, *range(10, 20)])
