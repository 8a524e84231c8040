"""The Atom feed of any search (/search/feed/?<the search's parameters>), read with feedparser: well-formed, newest
first, ids that do not change, ``updated`` that moves when a report is corrected, withdrawn reports marked."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from archive.models import Article
from archive.withdrawal import withdraw
from tests.admin_helpers import edit_in_admin
from tests.conftest import DATA
from tests.search_helpers import REPORTS as SEARCH_REPORTS
from tests.search_helpers import search

REPORTS = DATA / "exports" / "reports.jsonl"


@pytest.fixture
def reports(ingest):
    ingest(REPORTS, SEARCH_REPORTS)


def _feed(client, **params):
    response = client.get("/search/feed/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_the_feed_lists_the_search_newest_first(client, reports):
    feed = _feed(client, q="smuggling")
    expected = search(q="smuggling", sort="newest")
    assert [entry.title for entry in feed.entries] == [hit.article.title for hit in expected.hits]
    assert feed.feed.title == "North Korea Reports Archive: smuggling"
    assert feed.feed.link == "http://testserver/search/?q=smuggling"


def test_entry_ids_are_the_same_on_every_fetch_and_name_the_permalink(client, reports):
    first, second = _feed(client, source="daily-nk"), _feed(client, source="daily-nk")
    assert [e.id for e in first.entries] == [e.id for e in second.entries]
    article = Article.objects.get(url="https://example.org/exports/2")
    assert f"http://testserver/articles/{article.key}/" in [e.id for e in first.entries]


def test_updated_moves_when_a_report_is_corrected_and_the_id_stays(client, reports, django_user_model):
    # Ingested yesterday: the correction's time then differs whatever the feed's precision (seconds).
    Article.objects.filter(url="https://example.org/exports/2").update(updated_at=timezone.now() - timedelta(days=1))
    article = Article.objects.get(url="https://example.org/exports/2")
    before = {e.id: e for e in _feed(client, source="daily-nk").entries}
    client.force_login(django_user_model.objects.create_superuser("editor", password="a long password"))
    assert edit_in_admin(client, article, title="Rice and corn prices, corrected").status_code == 302
    client.logout()
    after = {e.id: e for e in _feed(client, source="daily-nk").entries}
    entry_id = f"http://testserver/articles/{article.key}/"
    assert after[entry_id].title == "Rice and corn prices, corrected"
    assert after[entry_id].updated_parsed > before[entry_id].updated_parsed
    assert set(after) == set(before)


def test_a_report_withdrawn_lately_comes_back_marked_with_its_reason(client, reports):
    article = Article.objects.get(url="https://example.org/exports/2")
    withdraw(article, "The source retracted the report.")
    entry = {e.id: e for e in _feed(client, q="rice").entries}[f"http://testserver/articles/{article.key}/"]
    assert entry.title.startswith("Withdrawn: ")
    assert "The source retracted the report." in entry.summary
    assert "withdrawn" in [tag.term for tag in entry.tags]
    # Not in a search that would not have found it.
    assert f"http://testserver/articles/{article.key}/" not in [e.id for e in _feed(client, q="steel").entries]
    assert f"http://testserver/articles/{article.key}/" not in [e.id for e in _feed(client, source="nk-news").entries]


def test_control_characters_never_reach_the_feed(client, reports):
    Article.objects.filter(url="https://example.org/exports/2").update(
        title="Rice\x01 prices\x07 in\x1b May", body_text="Traders\x0b said\x08 so.")  # no NUL: PostgreSQL refuses it
    feed = _feed(client, source="daily-nk")
    entry = {e.link: e for e in feed.entries}[
        "http://testserver" + Article.objects.get(url="https://example.org/exports/2").get_absolute_url()]
    assert entry.title == "Rice prices in May"
    assert entry.summary.startswith("Traders said so.")


def test_a_malformed_parameter_is_a_400(client, reports):
    response = client.get("/search/feed/", {"to": "soon"})
    assert response.status_code == 400 and "to must be a date" in response.content.decode()


def test_the_search_page_links_to_its_feed(client, reports):
    response = client.get("/search/", {"q": "market", "sort": "oldest", "page": "2", "size": "2"})
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    [alternate] = soup.find_all("link", rel="alternate", type="application/atom+xml")
    assert alternate["href"] == "/search/feed/?q=market"  # the feed is newest first and has no pages
    assert soup.find("a", string="Follow this search (Atom feed)")["href"] == "/search/feed/?q=market"
