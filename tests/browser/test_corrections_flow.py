"""An archivist in Chromium corrects a report's region in the admin, a reader sees the correction notice and the
diff, then the archivist withdraws the report (410 Gone) and merges a duplicate into another (301).

The upload part of the archivist's journey lives in the upload tests; this one starts from an ingested report.
"""

import re

import pytest
from playwright.sync_api import expect

from archive.models import Article

PASSWORD = "a long archivist password"


@pytest.fixture
def archivist(page, reports, django_user_model):
    """A browser page logged in to the admin as staff, through the real login form."""
    django_user_model.objects.create_superuser("archivist", password=PASSWORD)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("archivist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    return page


def choose_action(page, article: Article, action: str) -> None:
    """On the article list, tick one article and run an action."""
    page.goto(f"/admin/archive/article/?q={article.key}")
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Go").click()


def replace_region(page, old: str, new: str, reason: str) -> None:
    """On an article's admin change page, swap one region for another with the autocomplete, and save."""
    regions = page.locator(".field-regions")
    regions.locator(".select2-selection__choice", has_text=old).locator(".select2-selection__choice__remove").click()
    regions.locator(".select2-search__field").fill(new)
    page.locator(".select2-results__option", has_text=re.compile(f"^{re.escape(new)}$")).click()
    page.get_by_label("Reason for the correction").fill(reason)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")


def test_an_archivist_corrects_withdraws_and_merges_and_every_permalink_answers(archivist, reports):
    page = archivist
    article = reports.get(title="Smuggling crackdown tightens along the Yalu in Hyesan")

    # Correct the city: Hyesan -> Samsu (both in Ryanggang), through the admin's region autocomplete.
    page.goto(f"/admin/archive/article/?q={article.key}")
    page.get_by_role("link", name=article.title).click()
    replace_region(page, "Hyesan", "Samsu", reason="The source was in Samsu")

    # A reader sees the notice, follows it to the history, and sees what changed.
    page.goto(article.get_absolute_url())
    notice = page.locator(".correction-notice")
    expect(notice).to_contain_text(re.compile(r"Corrected on \d+ \w+ \d{4}: The source was in Samsu"))
    expect(page.locator(".report-meta")).to_contain_text("Samsu")
    notice.get_by_role("link", name="See what changed").click()
    expect(page.locator("h2").first).to_have_text("Version 2 (current)")
    change = page.locator(".diff-meta dd")
    expect(change.locator("del")).to_have_text("was: Hyesan")
    expect(change.locator("ins")).to_have_text("now: Samsu")
    page.get_by_role("link", name="Read version 1 as it was").click()
    expect(page.locator(".report-meta")).to_contain_text("Hyesan, Ryanggang")

    # Withdraw it: the permalink answers 410 with the reason, and search no longer finds it.
    choose_action(page, article, "withdraw_selected")
    page.get_by_label("Reason").fill("The source could not be confirmed.")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".messagelist .success")).to_have_text("Withdrew 1 article.")
    response = page.goto(article.get_absolute_url())
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("This report was withdrawn")
    expect(page.locator(".withdrawal-reason")).to_contain_text("The source could not be confirmed.")
    page.goto("/search/?q=crackdown+yalu")
    expect(page.locator(".result-title", has_text=article.title)).to_have_count(0)

    # Merge a duplicate into a survivor: the duplicate's permalink answers 301 to the survivor's.
    duplicate = reports.get(title="Traders in Hyesan market report rising rice prices")
    survivor = reports.get(title="Hyesan smuggling networks adapt to new surveillance")
    choose_action(page, duplicate, "merge_selected")
    page.get_by_label("Key of the report to keep").fill(survivor.key)
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".messagelist .success")).to_have_text(f"Merged 1 article into {survivor.key}.")
    response = page.goto(f"/articles/{duplicate.key}/")
    assert response.request.redirected_from.response().status == 301
    assert response.status == 200 and response.url.endswith(survivor.get_absolute_url())
    expect(page.locator("h1")).to_have_text(survivor.title)
