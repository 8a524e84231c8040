"""A lost index: searches answer 503 with a clear message (never a 500 or an empty list), /healthz says so, the
articles stay readable, and ``rebuild_index`` restores everything from the database."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.errors import IndexNotCaughtUp
from archive.models import Article
from tests.conftest import DATA, SEED_000

REPORTS = DATA / "pages" / "reports.jsonl"  # 12 reports
MESSAGE = "The search index is missing or unreadable; an administrator must run manage.py rebuild_index."


def delete_the_folder(path: Path) -> None:
    shutil.rmtree(path)


def corrupt_the_folder(path: Path) -> None:
    """What a disk error or a half-copied folder leaves: a newer table of contents and a segment that are noise."""
    generation = max(int(toc.stem.rsplit("_", 1)[1]) for toc in path.glob("_MAIN_*.toc"))
    (path / f"_MAIN_{generation + 1}.toc").write_bytes(b"\x00\xffnot an index\x01" * 40)
    (path / "MAIN_broken.seg").write_bytes(b"\xde\xad\xbe\xef" * 100)
    for toc in path.glob(f"_MAIN_{generation}.toc"):
        toc.unlink()


@pytest.fixture(params=[delete_the_folder, corrupt_the_folder], ids=["deleted", "corrupted"])
def lost_index(request, ingest, search_index):
    ingest(REPORTS)
    request.param(Path(search_index.get_backend().path))
    return search_index


def test_the_search_page_answers_503_with_a_clear_message(client, lost_index):
    response = client.get("/search/", {"q": "rice"})
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()


def test_the_search_api_answers_503_with_the_message_as_json(client, lost_index):
    response = client.get("/api/search/", {"q": "rice"})
    assert response.status_code == 503
    assert response.json() == {"error": MESSAGE}


def test_healthz_says_the_index_is_unavailable(client, lost_index):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["articles"], body["indexed"]) == ("index unavailable", 12, None)
    assert "rebuild_index" in body["error"]


def test_articles_stay_readable_from_the_database(client, lost_index):
    article = Article.objects.order_by("pk").first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_rebuild_index_restores_everything(client, lost_index):
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert client.get("/api/search/", {"q": "rice"}).status_code == 200
    assert client.get("/api/search/").json()["count"] == 12
    health = client.get("/healthz")
    assert health.status_code == 200
    assert (health.json()["status"], health.json()["indexed"]) == ("ok", 12)


def test_new_articles_wait_in_the_queue_rather_than_filling_an_empty_index(client, lost_index, ingest):
    """An empty index standing in for a lost one would hide every other article; the update waits for the rebuild."""
    with pytest.raises(IndexNotCaughtUp, match="IndexUnavailable"):
        ingest(SEED_000)
    assert client.get("/healthz").json()["pending"] == 1
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert client.get("/api/search/").json()["count"] == 13


@pytest.mark.parametrize("url", ["/api/v1/search/", "/search/export.csv", "/search/feed/"])
def test_the_versioned_api_the_exports_and_the_feed_answer_503_too(client, lost_index, url):
    response = client.get(url, {"q": "rice"})
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
