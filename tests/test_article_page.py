"""The article page: metadata, citation, canonical link, and previous/next in the search it was reached from."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache

from archive.models import Article
from archive.search import SearchParams, listed_ids, page_neighbourhood, related_articles, run_search
from archive.search.indexing import wait_for_index
from archive.search.whoosh import ArchiveWhooshBackend
from archive.withdrawal import withdraw
from tests.conftest import SEEDS

REPORTS = Path(settings.BASE_DIR) / "tests" / "data" / "pages"


@pytest.fixture
def reports(ingest):
    ingest(REPORTS, SEEDS)
    return Article.objects.select_related("source")


@pytest.fixture
def crackdown(reports):
    return reports.get(title="Smuggling crackdown tightens along the Yalu in Hyesan")


def test_the_headline_is_the_only_h1_and_the_body_is_marked_as_article_body(client, crackdown):
    html = client.get(crackdown.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert '<h1 itemprop="headline" lang="en">Smuggling crackdown tightens along the Yalu in Hyesan</h1>' in html
    assert 'itemprop="articleBody"' in html


def test_the_page_names_its_permalink_as_canonical_and_carries_citation_meta_tags(client, crackdown):
    html = client.get(crackdown.get_absolute_url() + "?from_search=q%3Dyalu").content.decode()
    permalink = f"http://testserver{crackdown.get_absolute_url()}"
    assert f'<link rel="canonical" href="{permalink}">' in html
    for name, content in [
        ("citation_title", "Smuggling crackdown tightens along the Yalu in Hyesan"),
        ("citation_author", "Kang, Mi Jin"),
        ("citation_publication_date", "2019/03/04"),
        ("citation_publisher", "Daily NK"),
    ]:
        assert f'<meta name="{name}" content="{content}">' in html


def test_the_cite_block_holds_the_permalink_and_a_plain_citation_line(client, crackdown):
    html = client.get(crackdown.get_absolute_url()).content.decode()
    permalink = f"http://testserver{crackdown.get_absolute_url()}"
    assert f'<input id="permalink" type="text" readonly value="{permalink}">' in html
    assert (
        f"Kang Mi Jin, “Smuggling crackdown tightens along the Yalu in Hyesan,” Daily NK, 4 March 2019, {permalink}."
        in html
    )


def test_regions_link_to_their_searches(client, crackdown):
    html = client.get(crackdown.get_absolute_url()).content.decode()
    assert '<a href="/search/?region=ryanggang">Ryanggang</a>' in html
    assert '<a href="/search/?region=hyesan">Hyesan</a>' in html


def test_an_undated_report_says_date_unknown_and_has_no_date_meta_tag(client, reports):
    undated = reports.get(title__startswith="Undated notice")
    html = client.get(undated.get_absolute_url()).content.decode()
    assert "date unknown" in html
    assert "citation_publication_date" not in html


def test_arrived_from_a_search_the_page_links_back_and_to_its_neighbours_across_pages(client, reports, crackdown):
    search = "source=daily-nk&sort=oldest&size=2"
    html = client.get(f"{crackdown.get_absolute_url()}?from_search={quote(search)}").content.decode()
    assert f'href="/search/?{search.replace("&", "&amp;")}"' in html
    assert "Result 2 of 8" in html
    previous = reports.get(title="Hoeryong residents face electricity shortages")
    following = reports.get(title="Traders in Hyesan market report rising rice prices")
    assert f'rel="prev" href="{previous.get_absolute_url()}?from_search=source%3Ddaily-nk%26sort%3Doldest%26size%3D2"' in html
    assert (
        f'rel="next" href="{following.get_absolute_url()}'
        '?from_search=source%3Ddaily-nk%26sort%3Doldest%26size%3D2%26page%3D2"'
    ) in html


def test_without_a_search_there_is_no_previous_or_next(client, crackdown):
    html = client.get(crackdown.get_absolute_url()).content.decode()
    assert "Back to results" not in html and 'rel="next"' not in html


def test_a_stale_slug_redirects_permanently_keeping_the_search_it_came_from(client, crackdown):
    response = client.get(f"/articles/{crackdown.key}/old-slug/?from_search=q%3Dyalu")
    assert response.status_code == 301
    assert response["Location"] == f"{crackdown.get_absolute_url()}?from_search=q%3Dyalu"


def test_the_first_result_of_a_page_links_back_to_the_last_of_the_page_before(client, reports, crackdown):
    following = reports.get(title="Traders in Hyesan market report rising rice prices")
    search = "source=daily-nk&sort=oldest&size=2&page=2"
    html = client.get(f"{following.get_absolute_url()}?from_search={quote(search)}").content.decode()
    assert "Result 3 of 8" in html
    assert f'rel="prev" href="{crackdown.get_absolute_url()}?from_search=source%3Ddaily-nk%26sort%3Doldest%26size%3D2"' in html


@pytest.fixture
def searches(monkeypatch):
    """The searches the index answers from here on."""
    made = []
    original = ArchiveWhooshBackend.search
    monkeypatch.setattr(ArchiveWhooshBackend, "search",
                        lambda backend, *args, **kwargs: made.append(args) or original(backend, *args, **kwargs))
    return made


def _result_links(search_page: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/articles/[^"]+\?from_search=[^"]+)"',
                                                             search_page)]


def test_an_article_opened_from_a_result_does_not_search_again(client, reports, searches):
    """The search page kept the results around its page, for every server process (Django's cache, in files)."""
    first, second = _result_links(client.get("/search/?source=daily-nk&sort=oldest&size=2").content.decode())
    searches.clear()
    html = client.get(second).content.decode()
    assert "Result 2 of 8" in html and 'rel="prev"' in html and 'rel="next"' in html
    assert searches == []


def test_a_pasted_link_searches_once_and_the_rest_of_its_page_not_at_all(client, reports, searches):
    first, second = _result_links(client.get("/search/?source=daily-nk&sort=oldest&size=2").content.decode())
    cache.clear()  # a link pasted into notes, opened after the kept results expired
    searches.clear()
    assert "Result 1 of 8" in client.get(first).content.decode()
    assert len(searches) == 1
    assert "Result 2 of 8" in client.get(second).content.decode()
    assert len(searches) == 1


def test_what_a_search_kept_is_not_used_once_the_index_has_changed(client, reports, searches,
                                                                   django_capture_on_commit_callbacks):
    first, second = _result_links(client.get("/search/?source=daily-nk&sort=oldest&size=2").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(Article.objects.get(key=first.split("/")[2]), "Duplicate of another report")
    wait_for_index()
    html = client.get(second).content.decode()
    assert "Result 1 of 7" in html and 'rel="prev"' not in html


@pytest.mark.parametrize("query", ["", "Hyesan OR rice OR market", '"rice prices"', "-Hyesan"])
@pytest.mark.parametrize("sort", ["relevance", "oldest"])
def test_the_results_a_search_kept_are_those_the_article_page_would_search_for(reports, searches, query, sort):
    for page in range(1, 6):
        params = SearchParams(q=query, sort=sort, page=page, page_size=2)
        run_search(params)
        searches.clear()
        start, ids, count = page_neighbourhood(params)
        assert searches == []  # kept
        assert (ids, count) == listed_ids(params, start, params.offset + params.page_size + 1)


def test_the_article_page_does_not_wait_for_its_related_reports(client, crackdown, monkeypatch):
    """They cost more than the rest of the page: the page's script fetches them from their own page, which the link
    leads to without script."""
    monkeypatch.setattr(ArchiveWhooshBackend, "more_like_this", lambda *args, **kwargs: pytest.fail("looked for"))
    html = client.get(crackdown.get_absolute_url()).content.decode()
    related_url = f"/articles/{crackdown.key}/related/"
    assert f'data-related="{related_url}"' in html
    assert f'<a href="{related_url}">Reports like this one</a>' in html


def test_the_related_page_lists_the_reports_most_like_the_article(client, crackdown):
    html = client.get(f"/articles/{crackdown.key}/related/").content.decode()
    assert f'Reports like “<a href="{crackdown.get_absolute_url()}" lang="en">{crackdown.title}</a>”' in html
    listed = re.findall(r'<li><a href="(/articles/[^"]+)">', html)
    assert listed and crackdown.get_absolute_url() not in listed
    assert listed == [article.get_absolute_url() for article in related_articles(crackdown, limit=5)]


def test_the_related_page_of_a_withdrawn_report_says_it_is_gone(client, crackdown):
    withdraw(crackdown, "Published in error")
    assert client.get(f"/articles/{crackdown.key}/related/").status_code == 410


@pytest.mark.parametrize("title", ["Related", "V"])
def test_a_title_that_names_a_page_under_the_key_gets_a_slug_of_its_own(client, crackdown, title):
    crackdown.title = title
    crackdown.save()
    assert crackdown.slug == f"{title.lower()}-report"
    html = client.get(crackdown.get_absolute_url()).content.decode()
    assert f'<h1 itemprop="headline" lang="en">{title}</h1>' in html
