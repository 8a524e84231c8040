"""/api/v1/: the versioned JSON API. Its OpenAPI document is generated from the code, valid, and the same as the
committed openapi.json; every answer, errors included, is checked against that document."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from archive.models import Article, FormerKey
from archive.withdrawal import merge, withdraw
from tests.admin_helpers import edit_in_admin
from tests.conftest import DATA
from tests.search_helpers import REPORTS as SEARCH_REPORTS

REPORTS = DATA / "exports" / "reports.jsonl"
COMMITTED = Path(settings.BASE_DIR) / "openapi.json"
DOCUMENT = json.loads(COMMITTED.read_text())


@pytest.fixture
def reports(ingest):
    ingest(REPORTS, SEARCH_REPORTS)


def conforms(response, path: str) -> dict:
    """The answer's body against the document's schema for its path and status; returns the body."""
    answer = DOCUMENT["paths"][path]["get"]["responses"][str(response.status_code)]
    schema = answer["content"]["application/json"]["schema"]
    body = response.json()
    Draft202012Validator({**schema, "components": DOCUMENT["components"]}).validate(body)
    return body


def test_the_document_is_valid_openapi_and_the_committed_copy_is_current(client, db):
    served = client.get("/api/v1/openapi.json").json()
    validate_openapi(served)
    # After an API change: .venv/bin/python manage.py openapi --write, and commit the diff.
    assert served == DOCUMENT


def test_search_answers_as_the_document_says_and_as_the_old_path_does(client, reports):
    response = client.get("/api/v1/search/", {"q": "rice harvest", "size": "5"})
    body = conforms(response, "/api/v1/search/")
    assert (body["count"], body["matched_all"], body["results"][0]["match"]) == (4, 1, "all")
    assert client.get("/api/search/", {"q": "rice harvest", "size": "5"}).json() == body


@pytest.mark.parametrize("params, message", [
    ({"from": "2019-13-45"}, "from must be a date"),
    ({"sort": "random"}, "sort must be one of"),
    ({"page": "lots"}, "page must be a whole number"),
    ({"region": "<b>"}, "region must be a slug"),
])
def test_a_malformed_search_parameter_is_a_400_with_the_message_the_old_path_gives(client, reports, params, message):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert message in conforms(response, "/api/v1/search/")["error"]
    assert client.get("/api/search/", params).json() == response.json()


def test_an_article_has_its_text_metadata_and_versions(client, reports, django_user_model):
    article = Article.objects.get(url="https://example.org/exports/2")
    client.force_login(django_user_model.objects.create_superuser("editor", password="a long password"))
    edit_in_admin(client, article, title="Rice and corn prices in May", correction_reason="A clearer title.")
    client.logout()
    response = client.get(f"/api/v1/articles/{article.key}/")
    assert response.status_code == 200
    body = conforms(response, "/api/v1/articles/{key}/")
    assert body["title"] == "Rice and corn prices in May"
    assert body["permalink"] == f"http://testserver/articles/{article.key}/rice-and-corn-prices-in-may/"
    assert (body["date"], body["date_precision"], body["source"]) == ("2019-05", "month", "Daily NK")
    assert body["author"] == {"name": "Jong So Yong", "family": "Jong", "given": "So Yong"}
    assert body["original_url"] == "https://example.org/exports/2"
    assert body["body_text"].startswith("Traders in the markets")
    assert [(v["number"], v["reason"]) for v in body["versions"]] == [(1, None), (2, "A clearer title.")]
    assert body["versions"][0]["url"] == f"http://testserver/articles/{article.key}/v/1/"


def test_every_article_conforms(client, reports):
    for article in Article.objects.all():
        conforms(client.get(f"/api/v1/articles/{article.key}/"), "/api/v1/articles/{key}/")


def test_a_withdrawn_article_is_410_with_its_reason(client, reports):
    article = Article.objects.get(url="https://example.org/exports/1")
    withdraw(article, "Duplicate of a wire report.")
    response = client.get(f"/api/v1/articles/{article.key}/")
    assert response.status_code == 410
    body = conforms(response, "/api/v1/articles/{key}/")
    assert (body["key"], body["reason"]) == (article.key, "Duplicate of a wire report.")
    assert "Duplicate of a wire report." in body["error"]


def test_a_merged_article_and_a_former_key_answer_301_to_the_report_that_stands(client, reports):
    duplicate = Article.objects.get(url="https://example.org/exports/3")
    survivor = Article.objects.get(url="https://example.org/exports/4")
    merge(duplicate, survivor)
    response = client.get(f"/api/v1/articles/{duplicate.key}/")
    assert (response.status_code, response["Location"]) == (301, f"/api/v1/articles/{survivor.key}/")
    FormerKey.objects.create(key="oldkey1234", article=survivor)
    response = client.get("/api/v1/articles/oldkey1234/")
    assert (response.status_code, response["Location"]) == (301, f"/api/v1/articles/{survivor.key}/")


def test_an_unknown_key_or_path_is_a_404_in_json(client, reports):
    response = client.get("/api/v1/articles/nosuchkey0/")
    assert response.status_code == 404
    assert conforms(response, "/api/v1/articles/{key}/") == {"error": "No report has the key 'nosuchkey0'."}
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404 and "error" in response.json()


def test_the_docs_page_is_served_by_the_archive_from_the_document(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert [s["src"] for s in soup.find_all("script")] == ["/static/js/archive.js"]  # nothing from elsewhere
    headings = [h.get_text(" ", strip=True) for h in soup.select(".api-operation h3")]
    assert headings == ["GET /api/v1/search/ : Search the reports", "GET /api/v1/articles/{key}/ : One report"]
    assert soup.select_one("#shape-ArticleAnswer") is not None
    assert soup.find("a", href="/api/v1/openapi.json") is not None
