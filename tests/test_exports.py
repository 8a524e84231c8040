"""Whole-result exports: /search/export.csv, .jsonl and .ris give every result of any search, in its order, read
back with real parsers, streamed from the database a chunk at a time."""

import csv
import io
import json
import math

import pytest
import rispy
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.exports.stream import CHUNK
from archive.models import Article
from archive.withdrawal import withdraw
from tests.conftest import DATA
from tests.search_helpers import REPORTS as SEARCH_REPORTS
from tests.search_helpers import search, write_reports

REPORTS = DATA / "exports" / "reports.jsonl"
COLUMNS = ["key", "title", "date", "source", "regions", "author", "language", "permalink", "original_url"]


@pytest.fixture
def reports(ingest):
    ingest(REPORTS, SEARCH_REPORTS)
    # A title with a line break, as an admin edit can leave one (ingest joins a title's lines).
    Article.objects.filter(url="https://example.org/exports/3").update(title="Line one of a title\nand its second")


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def _csv_rows(response) -> list[dict]:
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_csv_has_a_bom_fixed_columns_and_every_result(client, reports):
    response = client.get("/search/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nk-reports-')
    rows = _csv_rows(response)
    assert list(rows[0]) == COLUMNS
    assert len(rows) == search().count == Article.objects.count()


def test_korean_titles_quotes_commas_and_line_breaks_survive_the_csv(client, reports):
    rows = {row["original_url"]: row for row in _csv_rows(client.get("/search/export.csv"))}
    assert rows["https://example.org/exports/1"]["title"] == "혜산 국경에서 밀수 단속 강화"
    assert rows["https://example.org/exports/1"]["author"] == "정소영"
    assert rows["https://example.org/exports/1"]["regions"] == "Ryanggang; Hyesan"
    assert rows["https://example.org/exports/2"]["title"] == 'Rice, corn and "jangmadang" prices, as traders see them'
    assert rows["https://example.org/exports/2"]["date"] == "2019-05"
    assert rows["https://example.org/exports/3"]["title"] == "Line one of a title\nand its second"
    article = Article.objects.get(url="https://example.org/exports/3")
    assert rows["https://example.org/exports/3"]["permalink"] == f"http://testserver{article.get_absolute_url()}"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(client, reports):
    [row] = [row for row in _csv_rows(client.get("/search/export.csv", {"q": "undated market report"}))
             if row["key"] == Article.objects.get(url="urn:example:exports:5").key]
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["original_url"] == ""  # a URN is not a link


def test_the_export_follows_the_search_its_filters_and_its_order(client, reports):
    params = {"q": "market", "sort": "oldest", "page": "2", "size": "2"}
    rows = _csv_rows(client.get("/search/export.csv", params))
    page = search(q="market", sort="oldest", size="100")
    assert [row["key"] for row in rows] == [hit.article.key for hit in page.hits]  # every page, not page 2
    filtered = _csv_rows(client.get("/search/export.csv", {"source": "daily-nk", "year": "2019"}))
    assert len(filtered) == search(source="daily-nk", year="2019").count
    assert {row["source"] for row in filtered} == {"Daily NK"}


def test_the_partial_matches_follow_those_holding_every_word(client, reports):
    page = search(q="rice harvest", size="100")
    assert page.is_partial
    keys = [row["key"] for row in _csv_rows(client.get("/search/export.csv", {"q": "rice harvest"}))]
    assert keys == [hit.article.key for hit in page.hits]


def test_json_lines_hold_one_report_a_line_with_its_text(client, reports):
    response = client.get("/search/export.jsonl", {"q": "밀수"})
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    records = [json.loads(line) for line in _body(response).decode().splitlines()]
    assert [r["title"] for r in records] == ["혜산 국경에서 밀수 단속 강화"]
    assert (records[0]["author_family"], records[0]["author_given"]) == ("정", "소영")
    assert records[0]["regions"] == ["Ryanggang", "Hyesan"]
    assert records[0]["text"].startswith("혜산시 국경경비대가")


def test_ris_holds_every_result_as_a_newspaper_article(client, reports):
    text = _body(client.get("/search/export.ris", {"source": "daily-nk"})).decode()
    entries = rispy.loads(text)
    assert len(entries) == search(source="daily-nk").count
    assert {entry["type_of_reference"] for entry in entries} == {"NEWS"}
    assert ["Jong, So Yong"] in [entry.get("authors") for entry in entries]


def test_withdrawn_reports_are_not_exported(client, reports):
    gone = Article.objects.get(url="https://example.org/exports/2")
    before = len(_csv_rows(client.get("/search/export.csv")))
    withdraw(gone, "Withdrawn for the test.")
    keys = [row["key"] for row in _csv_rows(client.get("/search/export.csv"))]
    assert gone.key not in keys and len(keys) == before - 1


def test_a_malformed_parameter_is_a_400_and_an_unknown_format_a_404(client, reports):
    response = client.get("/search/export.csv", {"from": "yesterday"})
    assert response.status_code == 400 and "from must be a date" in response.content.decode()
    assert client.get("/search/export.xlsx").status_code == 404


def test_the_search_page_offers_the_exports_of_its_search(client, reports):
    html = client.get("/search/", {"q": "market", "page": "2", "size": "2"}).content.decode()
    for suffix in ("csv", "jsonl", "ris"):
        assert f'href="/search/export.{suffix}?q=market" download' in html


def test_ten_thousand_results_stream_with_a_bounded_number_of_queries(client, ingest, tmp_path):
    total = 10_000
    ingest(write_reports(tmp_path / "many.jsonl", total))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/export.csv")
        rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + total
    # Two a chunk (the articles with their sources, their regions), and the count that bounds the search.
    assert len(queries) <= 2 * math.ceil(total / CHUNK) + 3
