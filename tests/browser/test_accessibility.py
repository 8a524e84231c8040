"""axe-core finds no serious or critical violation on the home, search and article pages."""

import pytest

from tests.browser.conftest import axe_violations


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
