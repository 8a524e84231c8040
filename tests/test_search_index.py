"""The index itself: an empty index answers, and writes reach searches through the one queued writer."""

from archive.search import SearchParams, run_search
from archive.search.engine import indexed_count
from archive.search.indexing import wait_for_index
from tests.search_helpers import REPORTS


def test_an_empty_index_sorts_and_counts_without_error(db):
    page = run_search(SearchParams.from_query({"sort": "oldest", "year": "2019"}))
    assert (page.count, page.hits) == (0, [])


def test_the_long_lived_searcher_sees_writes_after_the_queue_drains(ingest):
    assert indexed_count() == 0  # the shared searcher is open on the empty index
    ingest(REPORTS)
    wait_for_index()
    assert indexed_count() == 18


def test_facet_values_come_back_whole_not_as_stemmed_tokens(ingest):
    ingest(REPORTS)
    page = run_search(SearchParams.from_query({}))
    assert "daily-nk" in {v.value for v in page.facets["source"]}
    assert "daili" not in {v.value for v in page.facets["source"]}
