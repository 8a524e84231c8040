"""/api/search/: the JSON of a search, and hostile input that never breaks it."""

import pytest

from tests.search_helpers import REPORTS


@pytest.fixture(autouse=True)
def corpus(ingest):
    ingest(REPORTS)


def test_the_json_has_counts_results_facets_and_the_reading(client):
    data = client.get("/api/search/", {"q": "rice harvest"}).json()
    assert (data["count"], data["matched_all"], data["query"]) == (
        2, 1, "rice AND harvest; 1 report holds every word; then reports holding some of them")
    assert [r["match"] for r in data["results"]] == ["all", "partial"]
    assert data["results"][0]["source"] == "Rimjin-gang"
    assert {"value": "rimjin-gang", "label": "Rimjin-gang", "count": 1} in data["facets"]["source"]
    assert set(data["facets"]) == {"source", "region", "year", "author", "language", "person"}


def test_a_misspelling_is_answered_with_a_suggestion(client):
    assert client.get("/api/search/", {"q": "smugling"}).json()["suggestion"] == "smuggling"


HOSTILE_QUERIES = [
    '"', '"""', '"unbalanced', "((((", "))))", "(smuggling", "smuggling)", "AND", "OR", "NOT", "AND OR NOT",
    "- - -", "-", "title:", "author:", "region:", 'source:""', "title:*", "*", "**", "?", ":", "::::", "a:b:c",
    "smug*ling", "\x00\x01\x02", "rice\x7fharvest", "\u202e\u200bphones", "<script>alert(1)</script>",
    "x" * 20_000, "(" * 5_000, "word " * 4_000, "'single", "title:'", "NOT NOT NOT smuggling", "to TO",
    "[2019 TO 2020]", "{a TO}", "published:[20190101 to]", "text:smuggling", "django_ct:archive.article",
    "^2", "~", "smuggling~2", "🙂", "한국어 검색", "Kim's", "'", "\\", "%00",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_get_a_200_with_a_reading(client, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["query"], str)


@pytest.mark.parametrize("params, message", [
    ({"from": "2019-13-45"}, "from must be a date"),
    ({"to": "yesterday"}, "to must be a date"),
    ({"from": "2020", "to": "2019"}, "is after"),
    ({"page": "-1"}, "page must be a whole number"),
    ({"page": "lots"}, "page must be a whole number"),
    ({"size": "0"}, "size must be a whole number"),
    ({"sort": "random"}, "sort must be one of"),
    ({"year": "19"}, "year must be"),
    ({"source": "<b>"}, "source must be a slug"),
])
def test_a_malformed_parameter_is_a_400_with_a_message(client, params, message):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_page_beyond_the_last_is_empty_not_an_error(client):
    data = client.get("/api/search/", {"page": "1000"}).json()
    assert (data["count"], data["results"]) == (18, [])


def test_the_json_gives_the_month_histogram_of_a_chosen_year(client):
    data = client.get("/api/search/", {"year": "2019"}).json()
    assert len(data["months"]) == 12
    assert sum(month["count"] for month in data["months"]) == data["count"] == 5
    assert client.get("/api/search/").json()["months"] == []
