"""The archivist's whole journey in one Chromium session: an archivist logs in, uploads three files of which one is broken,
opens the new article, corrects its region in the admin, a reader sees the correction notice and the diff, then the
archivist withdraws the article (410 Gone) and merges a duplicate into another report (301).

The steps are covered one by one in test_upload_flow.py and test_corrections_flow.py; this test proves they join up.
"""

import re

from playwright.sync_api import expect

from archive.models import Article
from tests.browser.test_corrections_flow import choose_action, replace_region
from tests.browser.test_upload_flow import three_files
from tests.conftest import SEED_000

PASSWORD = "a long password for the archivist"


def test_upload_correct_withdraw_and_merge_in_one_session(page, gazetteer, ingest, django_user_model):
    ingest(SEED_000)  # an earlier report, the survivor of the merge at the end
    survivor = Article.objects.get()
    django_user_model.objects.create_superuser("archivist", password=PASSWORD)

    # Log in: the upload page sends an anonymous visitor to the login form and back.
    page.goto("/upload/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/upload/"))
    page.get_by_label("Username").fill("archivist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Upload three files, one broken: two added, one rejected with its reason.
    page.get_by_label("Report files").set_input_files(three_files())
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-summary]")).to_have_text("3 of 3: 2 added, 1 rejected")
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text(
        ["003.txt: added", "report.html: added", "garbage.txt: rejected: the file is binary, not text"]
    )

    # Open the new article from its row.
    title = "Market crackdown in Hyesan targets Chinese goods"
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".report-meta")).to_contain_text("Hyesan")
    article = Article.objects.get(title=title)
    duplicate = Article.objects.exclude(pk__in=[article.pk, survivor.pk]).get()

    # Correct its region in the admin: Hyesan -> Samsu, with the region autocomplete.
    page.goto(f"/admin/archive/article/{article.pk}/change/")
    replace_region(page, "Hyesan", "Samsu", reason="The source was in Samsu")

    # The public page says it was corrected, and the history shows the diff.
    page.goto(article.get_absolute_url())
    notice = page.locator(".correction-notice")
    expect(notice).to_contain_text(re.compile(r"Corrected on \d+ \w+ \d{4}: The source was in Samsu"))
    notice.get_by_role("link", name="See what changed").click()
    change = page.locator(".diff-meta dd")
    expect(change.locator("del")).to_have_text("was: Hyesan")
    expect(change.locator("ins")).to_have_text("now: Samsu")

    # Withdraw it: its permalink answers 410 with the reason.
    choose_action(page, article, "withdraw_selected")
    page.get_by_label("Reason").fill("The source could not be confirmed.")
    page.get_by_role("button", name="Withdraw").click()
    response = page.goto(article.get_absolute_url())
    assert response.status == 410
    expect(page.locator(".withdrawal-reason")).to_contain_text("The source could not be confirmed.")

    # Merge the other uploaded report into the earlier one: its permalink answers 301 to the survivor.
    choose_action(page, duplicate, "merge_selected")
    page.get_by_label("Key of the report to keep").fill(survivor.key)
    page.get_by_role("button", name="Merge").click()
    response = page.goto(f"/articles/{duplicate.key}/")
    assert response.request.redirected_from.response().status == 301
    assert response.status == 200 and response.url.endswith(survivor.get_absolute_url())
