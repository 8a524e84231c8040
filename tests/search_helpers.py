"""The search tests' corpus (18 dated and undated reports in tests/data/search/reports.jsonl, ingested for real), and
small generated reports for the index tests."""

import json

from haystack.query import SearchQuerySet

from archive.models import Article
from archive.search import SearchParams, run_search
from tests.conftest import DATA

REPORTS = DATA / "search" / "reports.jsonl"


def search(**query):
    return run_search(SearchParams.from_query(query))


def titles(page) -> list[str]:
    return [hit.article.title for hit in page.hits]


def counts(page, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in page.facets[facet]}


def indexed() -> int:
    return SearchQuerySet().models(Article).count()


def write_reports(path, count: int, first: int = 0):
    """``count`` small dated reports (every tenth undated), as JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(first, first + count):
            record = {"title": f"Report {number} on the grain market", "source": ["Daily NK", "NK News"][number % 2],
                      "body": f"Traders in the market sold rice and maize. Report number {number}.",
                      "url": f"https://example.org/fast/{number}"}
            if number % 10:
                record["date"] = f"{2000 + number % 20}-{number % 12 + 1:02d}-{number % 27 + 1:02d}"
            out.write(json.dumps(record) + "\n")
    return path
