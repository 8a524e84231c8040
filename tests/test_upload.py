"""The staff upload page: the ingest pipeline behind a form, with the same outcomes as the command, a row per file,
and a JSON edge for the page's script that sends files one at a time."""

import datetime

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Article, AuditEntry, Source
from archive.search.indexing import wait_for_index
from tests.conftest import DATA, SEED_000, SEED_003


def upload(client, django_capture_on_commit_callbacks, *files, url="/upload/", **options):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"files": list(files), **options})
    wait_for_index()
    return response


def seed(path=SEED_003, name="003.txt"):
    return SimpleUploadedFile(name, path.read_bytes())


def data_file(name):
    return SimpleUploadedFile(name, (DATA / "ingest" / name).read_bytes())


def rows(response) -> list:
    """The report's rows, as the page shows them."""
    return BeautifulSoup(response.content, "html.parser").select("[data-rows] > li")


def row_lines(response) -> list[str]:
    return [" ".join(row.select_one(".outcome-line").get_text().split()) for row in rows(response)]


def test_anonymous_users_are_sent_to_log_in(client, db):
    for url in ("/upload/", "/upload/files/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/upload/")


def test_logged_in_users_who_are_not_staff_are_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a long password"))
    assert client.get("/upload/").status_code == 403
    response = client.post("/upload/", {"files": [seed()]})
    assert response.status_code == 403
    assert client.post("/upload/files/", {"files": [seed()]}).status_code == 403
    assert Article.objects.count() == 0


def test_the_form_offers_several_files_a_source_and_a_default_date(staff_client):
    page = BeautifulSoup(staff_client.get("/upload/").content, "html.parser")
    files = page.select_one("input[type=file][name=files]")
    assert files.has_attr("multiple")
    assert page.select_one(f"label[for={files['id']}]").get_text() == "Report files"
    assert "Daily NK" in [option.get_text() for option in page.select("select[name=source] option")]
    assert page.select_one("input[name=default_date]")["type"] == "date"
    assert page.select_one("form.upload-form")["data-upload-endpoint"] == "/upload/files/"


def test_the_page_has_no_inline_script_style_or_event_handler(staff_client, django_capture_on_commit_callbacks):
    """The Content-Security-Policy allows scripts from our own files only, and no inline styles."""
    response = upload(staff_client, django_capture_on_commit_callbacks, seed(), data_file("empty.txt"))
    page = BeautifulSoup(response.content, "html.parser")
    assert sorted(script["src"] for script in page.find_all("script")) == ["/static/js/archive.js", "/static/js/upload.js"]
    assert page.find_all("style") == []
    assert [tag.name for tag in page.find_all(True) if any(a == "style" or a.startswith("on") for a in tag.attrs)] == []


def test_uploaded_files_are_ingested_and_indexed(staff_client, django_capture_on_commit_callbacks):
    response = upload(staff_client, django_capture_on_commit_callbacks, seed())
    assert response.status_code == 200
    assert row_lines(response) == ["003.txt: added"]
    article = Article.objects.get()
    assert staff_client.get("/api/search/?q=smuggling").json()["results"][0]["key"] == article.key


def test_an_added_file_links_to_its_article_and_shows_what_was_extracted(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(staff_client, django_capture_on_commit_callbacks, data_file("report.html"))
    article = Article.objects.get()
    (row,) = rows(response)
    assert row.select_one(".outcome-article")["href"] == article.get_absolute_url()
    meta = {div.dt.get_text(): div.dd.get_text() for div in row.select(".outcome-meta > div")}
    assert meta == {"Source": "Daily NK", "Regions": "Hyesan, Ryanggang", "Date": "4 March 2019",
                    "Author": "Seon Hee Lee"}
    assert row.select_one(".outcome-correct")["href"] == f"/admin/archive/article/{article.pk}/change/"


def test_an_unchanged_file_links_to_the_existing_article(staff_client, django_capture_on_commit_callbacks):
    upload(staff_client, django_capture_on_commit_callbacks, seed())
    response = upload(staff_client, django_capture_on_commit_callbacks, seed())
    (row,) = rows(response)
    assert row_lines(response) == ["003.txt: unchanged"]
    assert row.select_one(".outcome-article")["href"] == Article.objects.get().get_absolute_url()
    assert row.select_one(".outcome-meta") is None


def test_a_changed_file_is_a_new_report_unless_the_upload_names_the_one_it_replaces(
    staff_client, django_capture_on_commit_callbacks
):
    upload(staff_client, django_capture_on_commit_callbacks, seed())
    original = Article.objects.get()

    def changed():
        return SimpleUploadedFile("003.txt", SEED_003.read_bytes().replace(b"smuggling zone", b"trading zone"))

    response = upload(staff_client, django_capture_on_commit_callbacks, changed(),
                      replaces=f"https://archive.example/articles/{original.key}/{original.slug}/")
    assert row_lines(response) == ["003.txt: updated"]
    article = Article.objects.get()
    assert (article.key, "trading zone" in article.body_text) == (original.key, True)
    assert article.versions.count() == 2
    other = SimpleUploadedFile("another.txt", b"Rice is dear in Hyesan this spring, a source said.")
    response = upload(staff_client, django_capture_on_commit_callbacks, changed(), other, replaces=original.key)
    assert response.status_code == 400
    assert "A correction replaces one report: choose one file." in response.content.decode()
    response = upload(staff_client, django_capture_on_commit_callbacks, changed(), replaces="nosuchkey")
    assert "No report has the key &#x27;nosuchkey&#x27;." in response.content.decode()
    assert Article.objects.count() == 1


def test_every_rejected_file_is_listed_with_its_reason_and_the_good_ones_kept(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(
        staff_client,
        django_capture_on_commit_callbacks,
        seed(),
        data_file("broken.json"),
        data_file("empty.txt"),
        data_file("binary.txt"),
        SimpleUploadedFile("report.pdf", b"%PDF-1.4"),
    )
    assert response.status_code == 400
    assert row_lines(response) == [
        "003.txt: added",
        "broken.json: rejected: malformed JSON at line 2: Expecting ',' delimiter",
        "empty.txt: rejected: the file is empty",
        "binary.txt: rejected: the file is binary, not text",
        "report.pdf: rejected: unsupported file type '.pdf'; accepted: .txt, .html, .htm, .json, .jsonl",
    ]
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("[data-summary]").get_text() == "1 added, 4 rejected"
    assert Article.objects.count() == 1


def test_a_file_of_several_reports_counts_them_and_lists_their_metadata(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(staff_client, django_capture_on_commit_callbacks, data_file("reports.jsonl"))
    (row,) = rows(response)
    count = Article.objects.count()
    assert count > 1
    assert row_lines(response) == [f"reports.jsonl: added ({count} added)"]
    assert len(row.select(".outcome-article")) == count


def test_the_chosen_source_applies_to_every_report_of_the_upload(staff_client, django_capture_on_commit_callbacks):
    rfa = Source.objects.get(name="Radio Free Asia")
    upload(staff_client, django_capture_on_commit_callbacks, seed(), seed(SEED_000, "000.txt"), source=rfa.pk)
    assert [a.source for a in Article.objects.all()] == [rfa, rfa]


def test_the_default_date_fills_only_reports_that_state_none(staff_client, django_capture_on_commit_callbacks):
    upload(staff_client, django_capture_on_commit_callbacks, seed(), data_file("report.html"), default_date="2020-06-01")
    dates = dict(Article.objects.values_list("url", "published"))
    assert dates[""] == datetime.date(2020, 6, 1)  # the seed, which states no date
    assert dates["https://example.org/reports/market-crackdown-hyesan"] == datetime.date(2019, 3, 4)
    assert Article.objects.get(url="").published_precision == "day"


def test_without_options_the_reports_keep_what_they_state(staff_client, django_capture_on_commit_callbacks):
    upload(staff_client, django_capture_on_commit_callbacks, seed())
    article = Article.objects.get()
    assert (article.source.name, article.published) == ("Daily NK", None)


def test_a_malformed_default_date_is_refused_before_any_file_is_stored(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(staff_client, django_capture_on_commit_callbacks, seed(), default_date="last week")
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert Article.objects.count() == 0


def test_an_upload_without_files_asks_for_one(staff_client):
    response = staff_client.post("/upload/", {})
    assert response.status_code == 400
    assert "Choose at least one file." in response.content.decode()


def test_an_oversized_upload_is_refused_by_its_size(staff_client, django_capture_on_commit_callbacks, settings):
    settings.ARCHIVE_MAX_FILE_BYTES = 1000
    response = upload(staff_client, django_capture_on_commit_callbacks, seed(name="huge.txt"))
    assert row_lines(response) == ["huge.txt: rejected: the file is 4.1 KiB; the limit is 1000 bytes"]
    assert Article.objects.count() == 0


def test_the_json_edge_answers_each_file_with_its_outcome_and_report_row(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload(
        staff_client, django_capture_on_commit_callbacks, seed(), data_file("empty.txt"), url="/upload/files/"
    )
    assert response.status_code == 200
    added, rejected = response.json()["files"]
    article = Article.objects.get()
    assert (added["name"], added["status"], added["keys"]) == ("003.txt", "added", [article.key])
    assert (rejected["name"], rejected["status"], rejected["reason"]) == ("empty.txt", "rejected", "the file is empty")
    row = BeautifulSoup(added["html"], "html.parser")
    assert row.select_one(".outcome-article")["href"] == article.get_absolute_url()


def test_the_json_edge_applies_the_same_options(staff_client, django_capture_on_commit_callbacks):
    kcna = Source.objects.get(name="KCNA")
    upload(staff_client, django_capture_on_commit_callbacks, seed(), url="/upload/files/", source=kcna.pk,
           default_date="2019-02-28")
    article = Article.objects.get()
    assert (article.source, article.published) == (kcna, datetime.date(2019, 2, 28))


def test_the_json_edge_answers_a_bad_request_with_a_message(staff_client, django_capture_on_commit_callbacks):
    response = upload(staff_client, django_capture_on_commit_callbacks, url="/upload/files/")
    assert (response.status_code, response.json()) == (400, {"error": "Choose at least one file."})
    response = upload(staff_client, django_capture_on_commit_callbacks, seed(), url="/upload/files/", source=9999)
    assert response.status_code == 400
    assert "Select a valid choice" in response.json()["error"]
    assert staff_client.get("/upload/files/").status_code == 405


def test_the_uploader_is_named_in_the_audit_log(staff_client, django_capture_on_commit_callbacks):
    """History and the audit log name who uploaded: the view hands its user to the pipeline."""
    upload(staff_client, django_capture_on_commit_callbacks, seed())
    assert [(e.action, e.actor.username) for e in AuditEntry.objects.all()] == [("uploaded", "editor")]
