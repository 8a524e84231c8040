"""How the index is written at scale: a backlog by parallel processes, a lost process's work never silently dropped,
small segments merged as they come, and the segments of bulk writes merged by tiers apart from any write."""

import os

import pytest
from django.core.management import call_command
from haystack import connections

from archive.models import Article, PendingIndexUpdate
from archive.search import indexing
from archive.search.whoosh import segment_writer, writing
from archive.search.whoosh.codec import PositionsApartCodec
from archive.search.writer_lock import claim_draining
from archive.withdrawal import withdraw
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


def test_small_segments_merge_once_ten_wait_and_bulk_segments_stay_as_written_by_writes(ingest, tmp_path, monkeypatch):
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


class Segment:
    """A segment of ``live`` documents, as ``tier_to_merge`` reads it."""

    def __init__(self, live: int):
        self.live = live

    def doc_count(self) -> int:
        return self.live


def merged_first(*sizes: int) -> list[int]:
    return sorted(segment.live for segment in writing.tier_to_merge([Segment(size) for size in sizes]))


def test_bulk_segments_are_merged_four_of_a_tier_at_a_time_the_lowest_tier_first():
    assert writing.TIER_FACTOR == 4 and writing.SMALL_SEGMENT == 1000  # tiers: 1,000-3,999, 4,000-15,999, ...
    assert merged_first(5000, 5000, 5000) == []  # a tier not full
    assert merged_first(5000, 4500, 7000, 5500, 6000) == [4500, 5000, 5500, 6000]  # its four smallest
    assert merged_first(5000, 5000, 5000, 20000, 20000, 20000, 20000) == [20000] * 4
    assert merged_first(20000, 20000, 20000, 20000, 5000, 5000, 5000, 5000) == [5000] * 4
    assert merged_first(*[900] * 30) == []  # small segments are merged by the writes (merge_small_segments)
    assert merged_first(30000, 30000, 30000, 30000) == []  # past MERGED_AT_MOST: the writer lock held too long
    assert merged_first(3000, 3000, 3000, 4000) == []  # 4,000 is a tier up


def test_a_drainer_merges_full_tiers_after_the_backlog_and_every_query_reads_the_merged_segment_the_same(
        ingest, tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "SMALL_SEGMENT", 100)  # each bulk write's two segments of 600: one tier
    ingest(write_reports(tmp_path / "first.jsonl", BULK))
    ingest(write_reports(tmp_path / "second.jsonl", BULK, first=BULK))
    withdraw(Article.objects.order_by("pk").first(), "a duplicate")  # a segment with a deletion
    indexing.wait_for_index()
    queries = ["maize", '"grain market"', "maize NOT 17", "market -maize", "gr*", "17", '"number 17"', "17 OR 1234"]

    def found() -> dict[str, tuple]:  # how many each query finds, and which where they are few (ties change order)
        pages = {q: search(q=q) for q in queries}
        return {q: (page.count, sorted(titles(page)) if page.count < 20 else None) for q, page in pages.items()}

    before = found()
    assert len(segment_sizes()) == 4 and search(q="maize").count == 2 * BULK - 1
    assert indexing.drain_backlog(timeout=60) == 0  # nothing pending: it merges only
    assert len(segment_sizes()) == 1 and indexed() == 2 * BULK - 1
    assert found() == before
    assert writing.merge_tier(connections["default"].get_backend().shared) == 0  # no tier full now


@pytest.mark.django_db
def test_a_server_with_nothing_to_write_hands_a_due_merge_to_a_drainer_process_once(monkeypatch):
    started = []
    monkeypatch.setattr(indexing.engine, "merge_is_due", lambda: True)
    monkeypatch.setattr(indexing, "start_drainer_process", lambda: started.append(1))
    monkeypatch.setattr(indexing, "_merge_handed_at", float("-inf"))
    indexing._serve_pending()
    indexing._serve_pending()  # within MERGE_RETRY_SECONDS: a merge that failed is not started at every sweep
    assert started == [1]
    monkeypatch.setattr(indexing, "_merge_handed_at", float("-inf"))
    with claim_draining():  # an ingest still writing: its segments are merged after it
        indexing._serve_pending()
    assert started == [1]


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
