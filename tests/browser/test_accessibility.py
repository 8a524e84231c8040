"""axe-core finds no serious or critical violation on the home, search and article pages, and on an article's
history, an old version and a withdrawn report's page."""

import pytest

from archive.withdrawal import withdraw
from tests.browser.conftest import axe_violations
from tests.history_helpers import correct


@pytest.mark.parametrize(
    "url",
    ["/", "/search/?q=smuggling&region=ryanggang&year=2019", "/search/?q=zzzqqq&source=nk-news"],
    ids=["home", "search", "empty-search"],
)
def test_a_page_has_no_serious_accessibility_violations(page, reports, url):
    page.goto(url)
    assert axe_violations(page) == []


def test_the_article_page_has_no_serious_accessibility_violations(page, reports):
    article = reports.get(title="Traders in Hyesan market report rising rice prices")
    page.goto(article.get_absolute_url() + "?from_search=q%3Dsmuggling")
    assert axe_violations(page) == []


def test_the_history_version_and_withdrawn_pages_have_no_serious_accessibility_violations(page, reports):
    article = reports.get(title="Traders in Hyesan market report rising rice prices")
    correct(article, "The market is in Samsu", regions=["samsu", "ryanggang"],
            body_html=article.body_html.replace("ten percent", "twelve percent"),
            body_text=article.body_text.replace("ten percent", "twelve percent"))
    withdraw(reports.get(title="Hoeryong residents face electricity shortages"), "The source could not be confirmed.")
    for url in [article.get_absolute_url(), f"/articles/{article.key}/v/", f"/articles/{article.key}/v/1/",
                f"/articles/{reports.get(title='Hoeryong residents face electricity shortages').key}/"]:
        page.goto(url)
        assert axe_violations(page) == [], url
