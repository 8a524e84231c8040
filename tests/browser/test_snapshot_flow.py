"""An analyst in Chromium signs in at the archive's own page, searches and saves the result set. Then a report is
added, another corrected and a third withdrawn: "Run it again" shows each in its place, while the snapshot's own list,
its three exports and its digest are what they were, byte for byte. The new pages pass axe and the Nu checker."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from archive.accounts import analysts_group
from archive.search.indexing import wait_for_index
from archive.withdrawal import withdraw
from tests.browser.conftest import axe_violations, vnu_errors
from tests.history_helpers import correct, write_report

PASSWORD = "a long analyst password"


@pytest.fixture
def analyst(page, reports, django_user_model):
    """A browser page signed in as an analyst, through the header's "Sign in" link and the archive's login form."""
    user = django_user_model.objects.create_user("kim.analyst", password=PASSWORD)
    user.groups.add(analysts_group())
    page.goto("/coverage/")
    page.get_by_role("link", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    page.get_by_label("User name").fill("kim.analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/coverage/$"))
    expect(page.locator(".account")).to_contain_text("Signed in as kim.analyst")
    return page


def frozen(page, snapshot_url: str) -> dict:
    """What the snapshot shows and gives: its list as HTML, its exports and canonical form as bytes, its digest."""
    page.goto(snapshot_url)
    files = {name: page.request.get(snapshot_url + name).body()
             for name in ("export.csv", "export.jsonl", "export.ris", "canonical.json")}
    return {"list": page.locator(".snapshot-results").inner_html(), "digest": page.locator(".digest").inner_text(),
            "count": page.locator(".snapshot-count").inner_text(), **files}


def test_an_analyst_saves_a_snapshot_and_sees_what_changed_while_it_stays_as_it_was(analyst, reports, ingest,
                                                                                   tmp_path):
    page = analyst
    page.get_by_role("search").first.get_by_label("Search reports").fill("smuggling")
    page.keyboard.press("Enter")
    expect(page.locator(".result-summary")).to_contain_text("reports")
    page.get_by_text("Save this result set", exact=True).first.click()  # opens the form
    page.get_by_label("Title").fill("Smuggling along the Yalu")
    page.get_by_label("Note").fill("For the March briefing: <b>not bold</b>")
    page.get_by_role("button", name="Save this result set").click()
    expect(page).to_have_url(re.compile(r"/snapshots/[a-z0-9]{10}/$"))
    expect(page.locator("h1")).to_have_text("Smuggling along the Yalu")
    expect(page.locator(".snapshot-note")).to_have_text("For the March briefing: <b>not bold</b>")
    expect(page.locator(".digest-ok")).to_have_text("matches the contents")
    snapshot_url = page.url
    before = frozen(page, snapshot_url)
    assert hashlib.sha256(before["canonical.json"]).hexdigest() == before["digest"]
    titles = page.locator(".snapshot-results .result-title a").all_inner_texts()
    assert len(titles) >= 3

    # The archive moves on: a new report, a correction, a withdrawal.
    corrected = reports.get(title=titles[0])
    gone = reports.get(title=titles[1])
    ingest(write_report(tmp_path, title="Smuggling of copper resumes at night", url="https://example.org/new/copper"))
    correct(corrected, "The market was in Samsu", title=f"{corrected.title} (corrected)")
    withdraw(gone, "The source could not be confirmed.")
    wait_for_index()

    page.get_by_role("link", name="Run it again").click()
    expect(page.locator("h1")).to_contain_text("What changed since snapshot")
    new = page.locator(".changes-new")
    expect(new.locator("h2")).to_have_text("New matches (1)")
    expect(new.get_by_role("link", name="Smuggling of copper resumes at night")).to_be_visible()
    changed = page.locator(".changes-corrected")
    expect(changed.locator("h2")).to_have_text("Corrected since (1)")
    expect(changed.get_by_role("link", name=titles[0], exact=True)).to_be_visible()
    expect(changed).to_contain_text("version 1 then, 2 now")
    withdrawn = page.locator(".changes-withdrawn")
    expect(withdrawn.locator("h2")).to_have_text("Withdrawn (1)")
    expect(withdrawn).to_contain_text(titles[1])
    expect(withdrawn).to_contain_text("The source could not be confirmed.")
    expect(page.locator(".changes-gone h2")).to_have_text("No longer matching (0)")
    again_url = page.url

    # The diff of the correction is one click away.
    changed.get_by_role("link", name="See what changed").click()
    expect(page.locator(".diff-meta, .history").first).to_contain_text("(corrected)")

    # The snapshot itself has not moved: list, exports, canonical form and digest, byte for byte.
    after = frozen(page, snapshot_url)
    assert after == before
    expect(page.locator(".digest-ok")).to_have_text("matches the contents")
    expect(page.locator(".snapshot-results .result-title a").first).to_have_text(titles[0])

    # The new pages pass the checks every page passes.
    for url in (snapshot_url, again_url):
        page.goto(url)
        assert axe_violations(page) == [], url
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    documents = {name: page.request.get(url).body() for name, url in
                 [("snapshot", snapshot_url), ("again", again_url), ("login", "/accounts/login/")]}
    assert vnu_errors(documents, tmp_path) == []
