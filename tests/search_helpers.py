"""The search tests' corpus: 18 dated and undated reports in tests/data/search/reports.jsonl, ingested for real."""

from archive.search import SearchParams, run_search
from tests.conftest import DATA

REPORTS = DATA / "search" / "reports.jsonl"


def search(**query):
    return run_search(SearchParams.from_query(query))


def titles(page) -> list[str]:
    return [hit.article.title for hit in page.hits]


def counts(page, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in page.facets[facet]}
