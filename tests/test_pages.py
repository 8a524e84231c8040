"""Home, search and browse pages, through Django's test client over the pages corpus."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from archive.models import Region
from tests.conftest import SEEDS

REPORTS = Path(settings.BASE_DIR) / "tests" / "data" / "pages"


@pytest.fixture
def reports(ingest):
    ingest(REPORTS, SEEDS)


def test_the_home_page_has_a_search_box_and_the_latest_reports_newest_first(client, reports):
    html = client.get("/").content.decode()
    assert '<input type="search" id="home-q" name="q"' in html
    assert html.count('type="search"') == 1
    assert html.index("Pyongsong market traders fined") < html.index("Sinuiju customs slows trade")


def test_the_search_page_keeps_the_query_in_the_box(client, reports):
    html = client.get("/search/", {"q": 'smuggling "Yalu River"'}).content.decode()
    assert 'name="q" value="smuggling &quot;Yalu River&quot;"' in html


def test_a_result_links_to_its_permalink_carrying_the_search(client, reports):
    html = client.get("/search/", {"q": "fertilizer"}).content.decode()
    assert "/articles/" in html and "?from_search=q%3Dfertilizer" in html


def test_a_malformed_parameter_is_a_400_page_with_the_message(client, reports):
    response = client.get("/search/", {"from": "yesterday"})
    assert response.status_code == 400
    assert "from must be a date" in response.content.decode()


def test_an_empty_result_offers_to_drop_each_filter_and_to_search_everything(client, reports):
    html = client.get("/search/", {"q": "fertilizer", "source": "nk-news"}).content.decode()
    assert "No reports found" in html
    assert 'drop the filter <a href="/search/?q=fertilizer">Source: NK News</a>' in html
    assert 'href="/search/?q=fertilizer">search every report for “fertilizer”' in html


@pytest.mark.parametrize(
    "browse, query",
    [
        ("/regions/ryanggang/", {"region": ["ryanggang"]}),
        ("/sources/daily-nk/", {"source": ["daily-nk"]}),
        ("/years/2019/", {"year": ["2019"]}),
        ("/years/undated/", {"year": ["undated"]}),
    ],
)
def test_a_browse_page_is_the_search_with_that_facet_value_chosen(client, reports, browse, query):
    response = client.get(browse)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/search/"
    assert parse_qs(urlsplit(response["Location"]).query) == query


def test_a_browse_page_for_a_malformed_year_is_not_found(client, reports):
    assert client.get("/years/19x9/").status_code == 404


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        self.h1 += tag == "h1"


@pytest.mark.parametrize("url", ["/", "/search/?q=rice", "/search/?q=zzzqqq"])
def test_each_page_has_exactly_one_h1(client, reports, url):
    parser = _Headings()
    parser.feed(client.get(url).content.decode())
    assert parser.h1 == 1


def test_the_home_page_offers_browse_links_with_cities_under_their_provinces(client, reports):
    html = client.get("/").content.decode()
    ryanggang = html.index('href="/regions/ryanggang/"')
    assert ryanggang < html.index('href="/regions/hyesan/"') < html.index("</ul>", ryanggang)
    assert 'href="/sources/radio-free-asia/"' in html and 'href="/years/undated/"' in html


def test_a_page_past_the_end_leads_to_the_last_page(client, reports):
    last = client.get("/search/", {"q": "market"})
    response = client.get("/search/", {"q": "market", "page": "999"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"q": ["market"]}  # a single page: page 1
    assert "Nothing in the archive matches" not in client.get(response["Location"]).content.decode()
    assert last.status_code == 200


@pytest.mark.parametrize("url", ["/regions/nowhere/", "/sources/no-such-source/", "/years/1850/",
                                 "/authors/nobody-at-all/"])
def test_an_unknown_browse_value_is_a_404(client, reports, url):
    assert client.get(url).status_code == 404


def test_a_known_browse_value_leads_to_its_search(client, reports):
    assert client.get("/regions/hyesan/")["Location"] == "/search/?region=hyesan"


def test_about_the_data_credits_the_gazetteers_sources_and_counts_it(client, db):
    html = client.get("/about/data/").content.decode()
    for credit in ("Who’s On First", "GeoNames", "Creative Commons Attribution 4.0", "Quattroshapes"):
        assert credit in html
    assert f"{Region.objects.count()} places: 9 provinces, 3 special cities, " in html
    assert 'href="/about/data/"' in client.get("/").content.decode()
