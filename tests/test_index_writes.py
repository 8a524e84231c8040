"""How the index is written at scale: a backlog by parallel processes, a lost process's work never silently dropped,
and segments merged only while merging is cheap."""

import os

import pytest
from django.core.management import call_command
from haystack import connections
from whoosh import multiproc

from archive.models import Article, PendingIndexUpdate
from archive.search.whoosh import writing
from tests.search_helpers import indexed, search, write_reports

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

    monkeypatch.setattr(multiproc.SubWriterTask, "run", die)  # every parallel write now loses its documents
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
