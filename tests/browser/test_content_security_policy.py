"""The Content-Security-Policy in a real browser: the public pages, the upload page and the admin load without a
single violation (no inline script or style anywhere), and the bars and shades still come from CSS classes."""

import pytest
from django.core.cache import cache

STAFF = {"username": "editor", "password": "a long password"}


@pytest.fixture
def violations(page):
    """Every CSP violation Chromium reports on the console while the test runs."""
    seen = []
    page.on("console", lambda message: seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return seen


def _sign_in(page):
    page.goto("/admin/login/")
    page.fill("#id_username", STAFF["username"])
    page.fill("#id_password", STAFF["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_the_public_pages_load_without_a_violation(page, reports, violations):
    article = reports.get(title="Hoeryong residents face electricity shortages")
    for url in ["/", "/search/?q=smuggling", "/search/?year=2019", "/coverage/", "/help/search/",
                article.get_absolute_url() + "?from_search=q%3Dcoal", article.get_absolute_url(),
                f"/articles/{article.key}/v/", f"/articles/{article.key}/v/1/", "/admin/login/", "/no-such-page/",
                "/api/v1/docs/"]:
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert violations == []


def test_the_bars_and_shades_get_their_lengths_and_colours_from_classes_and_attributes(page, reports, violations):
    page.goto("/search/?year=2019")
    widths = page.locator("#facet-year + ul .bar span").evaluate_all("spans => spans.map(s => s.offsetWidth)")
    assert max(widths) > 0 and len(set(widths)) > 1
    heights = page.locator(".timeline-fill").evaluate_all(
        "bars => bars.map(b => Math.round(b.getBoundingClientRect().height))")
    assert max(heights) > 0 and len(set(heights)) > 1
    fills = page.locator(".map-region path").evaluate_all("paths => paths.map(p => getComputedStyle(p).fill)")
    assert len(set(fills)) > 1
    page.goto("/coverage/")
    cells = page.locator(".heat-cells rect").evaluate_all("cells => cells.map(c => getComputedStyle(c).fill)")
    assert len(set(cells)) > 1
    assert violations == []


def test_the_upload_page_and_the_admin_load_without_a_violation(page, reports, violations, django_user_model):
    cache.clear()
    django_user_model.objects.create_superuser(STAFF["username"], password=STAFF["password"])
    _sign_in(page)
    article = reports.first()
    for url in ["/upload/", "/admin/", "/admin/archive/article/", f"/admin/archive/article/{article.pk}/change/",
                "/admin/archive/article/add/", "/admin/auth/user/", "/admin/archive/article/?q=famine"]:
        page.goto(url)
        page.wait_for_load_state("load")
    assert violations == []
