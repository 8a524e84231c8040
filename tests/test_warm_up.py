"""A server process reads what searches need from its index as it starts, not during its first request."""

import logging

import pytest

from archive.errors import IndexUnavailable
from archive.search import engine, warm
from archive.search.whoosh import phrases
from tests.search_helpers import search, write_reports

SEGMENT_DATA = "segment data: facet sets, months, date orders"
SCORES = "catalog: scores of a word's postings"


def test_warming_up_reads_each_facet_and_date_order_of_the_index_before_any_search(ingest, tmp_path):
    ingest(write_reports(tmp_path / "reports.jsonl", 30))
    before = engine.cache_sizes()[SEGMENT_DATA][0]  # nothing searched yet: the field lengths only
    warm.warm_up()
    warmed = engine.cache_sizes()[SEGMENT_DATA][0]
    assert warmed > before
    assert search().count == 30 and search(q="maize", source="daily-nk").count == 15
    assert engine.cache_sizes()[SEGMENT_DATA][0] == warmed  # the first searches found everything read already


def test_an_index_that_cannot_be_warmed_is_left_to_the_first_search(monkeypatch, caplog):
    def unavailable(params):
        raise IndexUnavailable("no index yet")

    monkeypatch.setattr(warm, "run_search", unavailable)
    with caplog.at_level(logging.INFO, logger="archive.search.warm"):
        warm.warm_up()  # a server starting before its index is built still starts
    assert "not warmed" in caplog.text


def test_a_server_process_warms_what_an_ingest_added_before_a_search_meets_it(ingest, tmp_path):
    ingest(write_reports(tmp_path / "first.jsonl", 30))
    warmed = warm.warm_if_changed("")
    assert warmed == engine.contents_version()
    assert warm.warm_if_changed(warmed) == warmed  # nothing changed: nothing to read
    read = engine.cache_sizes()[SEGMENT_DATA][0]

    ingest(write_reports(tmp_path / "second.jsonl", 30, first=30))  # a segment of its own
    assert warm.warm_if_changed(warmed) == engine.contents_version() != warmed
    assert engine.cache_sizes()[SEGMENT_DATA][0] > read  # the new segment's facet sets and orders
    read = engine.cache_sizes()[SEGMENT_DATA][0]
    assert search(q="maize", source="daily-nk").count == 30
    assert engine.cache_sizes()[SEGMENT_DATA][0] == read  # the search found everything read already


def test_an_index_that_cannot_be_read_yet_is_warmed_once_it_can(monkeypatch, ingest, tmp_path):
    def unavailable():
        raise IndexUnavailable("no index yet")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "contents_version", unavailable)
        assert warm.warm_if_changed("") == ""  # looked at again later
    ingest(write_reports(tmp_path / "reports.jsonl", 3))
    assert warm.warm_if_changed("") == engine.contents_version()


def test_after_a_change_the_words_searched_last_are_scored_before_a_search_asks_again(ingest, tmp_path):
    """As Solr autowarms its caches: the words the searches before an ingest (or an edit, or a merge) scored are
    scored for the new contents by the warm-up, and the next searches of them read no postings."""
    ingest(write_reports(tmp_path / "first.jsonl", 30))
    assert search(q="maize").count == 30 and search(q='"sold rice"').count == 30
    warmed = warm.warm_if_changed("")
    scored_before = engine.cache_sizes()[SCORES][0]
    assert scored_before > 0

    ingest(write_reports(tmp_path / "second.jsonl", 30, first=30))
    assert engine.cache_sizes()[SCORES][0] == 0  # new contents: nothing scored for them yet
    warm.warm_if_changed(warmed)
    assert engine.cache_sizes()[SCORES][0] > scored_before  # the same words, in 60 reports now

    read = []
    reading = phrases.word_scores
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(phrases, "word_scores", lambda *args: read.append(args[3]) or reading(*args))
        assert search(q="maize").count == 60
    assert read == []  # scored by the warm-up, not by the search
