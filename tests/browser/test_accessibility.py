"""axe-core finds no serious or critical violation on the home, search (with its timeline and map), article,
coverage and search help pages, and on an article's history, an old version, its related reports and a withdrawn
report's page."""

import pytest
from playwright.sync_api import expect

from archive.withdrawal import withdraw
from tests.browser.conftest import axe_violations
from tests.history_helpers import correct


@pytest.mark.parametrize(
    "url",
    ["/", "/search/?q=smuggling&region=ryanggang&year=2019", "/search/", "/search/?from=2019-06&to=2020-03",
     "/search/?q=zzzqqq&source=nk-news", "/coverage/", "/help/search/"],
    ids=["home", "search", "search-everything", "search-months", "empty-search", "coverage", "help"],
)
def test_a_page_has_no_serious_accessibility_violations(page, reports, url):
    page.goto(url)
    assert axe_violations(page) == []


def test_the_article_page_has_no_serious_accessibility_violations(page, reports):
    article = reports.get(title="Traders in Hyesan market report rising rice prices")
    page.goto(article.get_absolute_url() + "?from_search=q%3Dsmuggling")
    expect(page.locator(".related li a").first).to_be_visible()  # the related reports the page's script fetched
    assert axe_violations(page) == []


def test_the_history_version_and_withdrawn_pages_have_no_serious_accessibility_violations(page, reports):
    article = reports.get(title="Traders in Hyesan market report rising rice prices")
    correct(article, "The market is in Samsu", regions=["samsu", "ryanggang"],
            body_html=article.body_html.replace("ten percent", "twelve percent"))
    withdraw(reports.get(title="Hoeryong residents face electricity shortages"), "The source could not be confirmed.")
    for url in [article.get_absolute_url(), f"/articles/{article.key}/v/", f"/articles/{article.key}/v/1/",
                f"/articles/{article.key}/related/",
                f"/articles/{reports.get(title='Hoeryong residents face electricity shortages').key}/"]:
        page.goto(url)
        assert axe_violations(page) == [], url


def test_the_header_and_my_searches_of_a_signed_in_archivist_have_no_serious_accessibility_violations(page, reports,
                                                                                    django_user_model):
    from django.core.cache import cache

    cache.clear()
    django_user_model.objects.create_superuser("editor", password="a long password")
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto("/search/?q=smuggling")
    assert axe_violations(page) == []
    page.get_by_label("Watch this search as").fill("Smuggling")
    page.get_by_role("button", name="Watch this search").click()
    page.wait_for_url("**/my/searches/")
    assert page.get_by_role("heading", name="Smuggling").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()
    page.goto("/")
    assert page.locator(".account").get_by_role("link", name="Sign in").count() == 1
