"""Home, search and browse pages, through Django's test client over the pages corpus."""

import re
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


@pytest.mark.parametrize("url", ["/", "/search/?q=rice", "/search/?q=zzzqqq", "/coverage/", "/help/search/"])
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


def test_the_home_page_links_from_its_latest_reports_to_all_of_them_newest_first(client, reports):
    html = client.get("/").content.decode()
    assert '<a href="/search/?sort=newest">All 14 reports, newest first</a>' in html


def test_the_home_pages_examples_are_searches_to_click(client, reports):
    html = client.get("/").content.decode()
    assert '<a href="/search/?q=smuggling+Hyesan"><code>smuggling Hyesan</code></a>' in html
    assert '<a href="/search/?q=smugg%2A"><code>smugg*</code></a>' in html


def test_the_home_page_draws_the_timeline_of_the_whole_archive(client, reports):
    html = client.get("/").content.decode()
    assert "Reports per year, 2016 – 2020" in html
    assert 'aria-label="2019: 5 reports"' in html
    assert '<a href="/search/?year=undated">3 undated</a>' in html


def test_the_search_page_draws_the_timeline_of_its_results_and_a_bar_narrows_to_its_year(client, reports):
    html = client.get("/search/", {"q": "smuggling"}).content.decode()
    bar = re.search(r'<a class="timeline-bar" href="([^"]+)" aria-label="2019: 4 reports"', html)
    assert bar and bar.group(1).replace("&amp;", "&") == "/search/?q=smuggling&from=2019-01-01&to=2019-12-31"
    narrowed = client.get(bar.group(1).replace("&amp;", "&")).content.decode()
    assert "Reports per month, January 2019 – December 2019" in narrowed


def test_the_date_fields_take_a_year_or_a_month_as_the_parser_does(client, reports):
    from archive.search.params import DATE_PATTERN

    html = client.get("/search/", {"q": "smuggling", "from": "2019", "to": "2019-03"}).content.decode()
    assert re.search(r'<input type="text" id="date-from" name="from" value="2019-01-01" pattern="([^"]+)"', html)
    assert f'pattern="{DATE_PATTERN}"' in html
    assert "Dates: 2019-01-01 to 2019-03-31" in html
    for accepted in ("2019", "2019-03", "2019-03-04"):
        assert re.fullmatch(DATE_PATTERN, accepted)
        assert client.get("/search/", {"from": accepted}).status_code == 200
    for refused in ("19", "2019-3", "03/04/2019", "2019-03-04T10:00"):
        assert not re.fullmatch(DATE_PATTERN, refused)
        assert client.get("/search/", {"from": refused}).status_code == 400


def test_large_counts_have_thousands_separators():
    from django.template.loader import render_to_string

    from archive.views.search_links import FacetLink

    assert '<span class="facet-count">12,345</span>' in render_to_string(
        "includes/facet_link.html", {"link": FacetLink("Daily NK", 12345, "/search/?source=daily-nk")})


def test_signed_in_staff_see_who_they_are_upload_admin_and_a_sign_out_form(staff_client, reports):
    client = staff_client
    html = client.get("/").content.decode()
    assert "Signed in as <strong>editor</strong>" in html
    assert '<a href="/upload/">Upload</a>' in html and '<a href="/admin/">Admin</a>' in html
    assert re.search(r'<form class="logout-form" method="post" action="/accounts/logout/">'
                     r'<input type="hidden" name="csrfmiddlewaretoken"', html)
    response = client.post("/accounts/logout/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Signed in as" not in client.get("/").content.decode()


def test_other_signed_in_users_see_who_they_are_and_sign_out_but_no_staff_links(client, reports, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a long password"))
    html = client.get("/search/").content.decode()
    assert "Signed in as <strong>reader</strong>" in html and "Sign out" in html
    assert 'href="/upload/"' not in html and 'href="/admin/"' not in html


def test_visitors_see_a_sign_in_link_and_no_account_links(client, reports):
    html = client.get("/").content.decode()
    assert "Signed in as" not in html and ">Sign in</a>" in html


@pytest.mark.parametrize(("value", "shown"), [(7, "7"), (1234, "1,234"), (-1234567, "-1,234,567"), (0, "0"),
                                              ("12345", "12,345"), (1234.5, "1,234.5"), (None, "None")])
def test_counts_are_grouped_by_thousands_in_every_template_as_humanize_groups_them(value, shown):
    from django.template import engines

    assert engines["django"].from_string("{{ value|intcomma }}").render({"value": value}) == shown
