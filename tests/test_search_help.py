"""The search help page: the query language explained with examples that run when clicked, linked from every search
box."""

import re

import pytest

from archive.views.search_help import TOPICS, home_examples

EXAMPLES = [example for topic in TOPICS for example in topic.examples]


@pytest.fixture
def reports(ingest):
    from tests.browser.conftest import REPORTS
    from tests.conftest import SEEDS

    ingest(REPORTS, SEEDS)


def test_every_example_is_a_link_on_the_help_page(client, db):
    html = client.get("/help/search/").content.decode()
    for example in EXAMPLES:
        assert f'<a href="{example.url.replace("&", "&amp;")}"><code>' in html, example.query


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.query for example in EXAMPLES])
def test_every_example_runs_as_a_search(client, reports, example):
    response = client.get(example.url)
    assert response.status_code == 200


def test_the_examples_that_name_the_corpus_find_reports(client, reports):
    for query in ("smuggling Hyesan", '"border patrol"', "smugg*", "region:ryanggang", "title:market",
                  "smuggling NOT China", "smuggling -Hyesan", "market OR prices"):
        example = next(example for example in EXAMPLES if example.query == query)
        assert "No reports found" not in client.get(example.url).content.decode(), query


def test_the_home_page_examples_are_the_help_pages(db):
    assert [example.query for example in home_examples()] == [
        "smuggling Hyesan", '"border patrol"', "market OR prices", "source:daily-nk electricity", "smugg*"]


@pytest.mark.parametrize("url", ["/", "/search/?q=rice", "/coverage/", "/help/search/"])
def test_every_search_box_links_to_the_help(client, db, url):
    html = client.get(url).content.decode()
    for form in re.findall(r'<form class="search-form.*?</form>', html, re.S):
        assert '<a class="search-help-link" href="/help/search/">Search help</a>' in form
