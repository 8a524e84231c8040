"""A server process reads what searches need from its index as it starts, not during its first request."""

import logging

from archive.errors import IndexUnavailable
from archive.search import engine, warm
from tests.search_helpers import search, write_reports

SEGMENT_DATA = "segment data: facet sets, months, date orders"


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
