"""An archivist uploads reports in Chromium: logs in, drops files, watches the progress and reads each file's row;
the page works without JavaScript too, is accessible, valid HTML, and fits 375 px."""

import re

import pytest
from playwright.sync_api import expect

from archive.models import Article
from archive.search.indexing import wait_for_index
from tests import poison
from tests.browser.conftest import PHONE, axe_violations, vnu_errors
from tests.conftest import DATA, SEED_003

PASSWORD = "a long password for the archivist"


@pytest.fixture
def archivist(gazetteer, django_user_model):
    return django_user_model.objects.create_user("archivist", password=PASSWORD, is_staff=True)


def log_in(page, user, next_url="/upload/"):
    """Through the login page, as an anonymous visitor of the upload page is sent there."""
    page.goto(next_url)
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/upload/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Upload reports")).to_be_visible()
    page.wait_for_load_state("load")  # upload.js (deferred) listens for chosen files only once it has run


def three_files():
    """Two good reports and one broken (not UTF-8, not any text at all)."""
    return [
        {"name": "003.txt", "mimeType": "text/plain", "buffer": SEED_003.read_bytes()},
        {"name": "report.html", "mimeType": "text/html", "buffer": (DATA / "ingest" / "report.html").read_bytes()},
        {"name": "garbage.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 4},
    ]


def test_an_archivist_uploads_three_files_and_opens_the_new_article(page, archivist):
    log_in(page, archivist)
    page.get_by_label("Report files").set_input_files(three_files())
    expect(page.locator("[data-chosen]")).to_have_text("3 files chosen.")
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("[data-summary]")).to_have_text("3 of 3: 2 added, 1 rejected")
    expect(page.locator("progress")).to_have_attribute("value", "3")
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text([
        "003.txt: added",
        "report.html: added",
        "garbage.txt: rejected: the file is binary, not text",
    ])
    row = page.locator("[data-rows] > li", has_text="report.html")
    expect(row.locator(".outcome-meta")).to_contain_text(["Daily NK"])
    expect(row.locator(".outcome-meta")).to_contain_text(["Hyesan"])
    expect(row.get_by_role("link", name=re.compile("^Correct metadata"))).to_have_attribute(
        "href", re.compile(r"^/admin/archive/article/\d+/change/$")
    )

    row.get_by_role("link", name="Market crackdown in Hyesan targets Chinese goods", exact=True).click()
    expect(page.locator("h1")).to_have_text("Market crackdown in Hyesan targets Chinese goods")
    assert Article.objects.count() == 2


def test_dropping_files_on_the_drop_zone_chooses_them(page, archivist):
    log_in(page, archivist)
    transfer = page.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["Fuel is scarce in Chongjin, where buses have stopped running."],
                                        "fuel.txt", {type: "text/plain"}));
            return transfer;
        }"""
    )
    page.dispatch_event("[data-drop-zone]", "drop", {"dataTransfer": transfer})
    expect(page.locator("[data-chosen]")).to_have_text("1 file chosen.")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text(["fuel.txt: added"])


def test_thirty_files_go_one_per_request_with_progress_and_a_row_each(page, archivist):
    log_in(page, archivist)
    # Every text the live region announces, in order (a test probe, not the page's script).
    page.evaluate(
        """() => {
            window.__announced = [];
            const summary = document.querySelector("[data-summary]");
            new MutationObserver(() => window.__announced.push(summary.textContent))
                .observe(summary, {childList: true, characterData: true, subtree: true});
        }"""
    )
    requests = []
    page.on("request", lambda request: requests.append(request) if request.url.endswith("/upload/files/") else None)
    files = [
        {"name": f"report-{n:02d}.txt", "mimeType": "text/plain",
         "buffer": f"Report {n} from Hyesan\n\nTraders in Hyesan said prices rose {n} percent.".encode()}
        for n in range(1, 31)
    ]
    page.get_by_label("Report files").set_input_files(files)
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("[data-summary]")).to_have_text("30 of 30: 30 added", timeout=60_000)
    expect(page.locator("[data-rows] > li")).to_have_count(30)
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text([f"report-{n:02d}.txt: added" for n in range(1, 31)])
    announced = page.evaluate("window.__announced")
    done = [int(re.match(r"(\d+) of 30", text).group(1)) for text in announced]
    assert done == sorted(done) and set(done) == set(range(31)), announced
    assert len(requests) == 30
    assert all(request.headers.get("x-csrftoken") for request in requests)
    assert page.locator("[data-summary]").get_attribute("aria-live") == "polite"
    wait_for_index()
    assert Article.objects.count() == 30


def test_without_javascript_the_form_posts_all_files_and_the_server_lists_them(chromium, live_server, archivist):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, archivist)
    page.get_by_label("Report files").set_input_files(three_files())
    page.get_by_label("Default date").fill("2020-06-01")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-summary]")).to_have_text("2 added, 1 rejected")
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text(
        ["003.txt: added", "report.html: added", "garbage.txt: rejected: the file is binary, not text"]
    )
    expect(page.locator("[data-rows] > li", has_text="003.txt").locator(".outcome-meta")).to_contain_text(["1 June 2020"])
    context.close()


def test_the_upload_page_and_its_report_are_accessible_valid_and_fit_a_phone(page, archivist, tmp_path):
    log_in(page, archivist)
    documents = {"upload-form": page.content().encode()}
    page.get_by_label("Report files").set_input_files(three_files())
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-summary]")).to_have_text("3 of 3: 2 added, 1 rejected")
    documents["upload-report"] = page.content().encode()  # the page as the script left it
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/upload/")
    assert axe_violations(page) == []
    assert vnu_errors(documents, tmp_path) == []


def test_a_file_whose_request_fails_is_listed_as_not_uploaded_and_the_rest_go_on(page, archivist):
    log_in(page, archivist)
    sent = []

    def fail_the_second(route):
        sent.append(route.request)
        route.abort() if len(sent) == 2 else route.continue_()

    page.route("**/upload/files/", fail_the_second)
    page.get_by_label("Report files").set_input_files(three_files())
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-summary]")).to_have_text("3 of 3: 1 added, 1 rejected, 1 not uploaded")
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text([
        "003.txt: added",
        re.compile(r"^report\.html: not uploaded: "),
        "garbage.txt: rejected: the file is binary, not text",
    ])
    expect(page.get_by_role("button", name="Upload")).to_be_enabled()


def test_a_batch_of_twenty_with_poison_files_keeps_every_good_file_and_rejects_each_poison_in_its_row(
    page, archivist
):
    """The files that once ended a batch (``tests/poison.py``), among fifteen good ones: each poison file is a
    rejected row with its reason, the page never an error page, and every good file is stored."""
    batch = poison.batch()
    log_in(page, archivist)
    files = [{"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in batch.items()]
    page.get_by_label("Report files").set_input_files(files)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-summary]")).to_have_text("20 of 20: 15 added, 5 rejected", timeout=60_000)
    expected = []
    for name in batch:
        reason = poison.expected_reason(name)
        expected.append(f"{name}: rejected: {reason}" if reason else
                        f"{name}: added (3 added)" if name.endswith(".jsonl") else f"{name}: added")
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text(expected)
    assert Article.objects.count() == 17


def test_a_correction_from_a_file_replaces_the_named_report_and_keeps_its_permalink(page, archivist):
    log_in(page, archivist)
    page.get_by_label("Report files").set_input_files(three_files()[:1])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-summary]")).to_have_text("1 of 1: 1 added")
    original = Article.objects.get()
    page.goto("/upload/")
    corrected = SEED_003.read_bytes().replace(b"smuggling ops", b"smuggling operations")
    page.get_by_label("Report files").set_input_files([{"name": "003.txt", "mimeType": "text/plain",
                                                        "buffer": corrected}])
    page.get_by_label("Replace the text of").fill(original.key)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-rows] > li .outcome-line")).to_have_text(["003.txt: updated"])
    page.get_by_role("link", name="North Korean intel agency to oversee expanded smuggling operations", exact=True).click()
    expect(page).to_have_url(re.compile(f"/articles/{original.key}/"))
