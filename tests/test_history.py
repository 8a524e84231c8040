"""Corrections with history: every edit keeps the previous version, the article page says it was corrected, the
history page shows what changed, and ``/articles/<key>/v/<n>/`` shows version n as it was."""

import re

import pytest

from archive.history import Paragraph, Segment, diff_text
from archive.models import Article
from tests.admin_helpers import edit_in_admin
from tests.history_helpers import REPORT, write_report


@pytest.fixture
def report(ingest, tmp_path):
    [outcome] = ingest(write_report(tmp_path))
    assert outcome.status == "added"
    return Article.objects.get()


@pytest.fixture
def corrected(report, admin_client, django_capture_on_commit_callbacks):
    """The report with its city corrected in the admin from Hyesan to Samsu (both in Ryanggang), and one word of its
    body changed."""
    body = report.body_html.replace("move goods", "move copper")
    with django_capture_on_commit_callbacks(execute=True):
        response = edit_in_admin(admin_client, report, regions=["samsu", "ryanggang"], body_html=body,
                                 correction_reason="The source was in Samsu")
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get()


def test_an_admin_edit_keeps_the_previous_version(corrected):
    first, second = corrected.versions.all()
    assert (first.number, second.number) == (1, 2)
    assert first.metadata["regions"] == ["Hyesan", "Ryanggang"]
    assert "move goods" in first.body_text
    assert second.metadata["regions"] == ["Ryanggang", "Samsu"]
    assert "move copper" in second.body_text
    assert (second.edited_by.username, second.reason) == ("admin", "The source was in Samsu")
    assert first.edited_by is None


def test_every_further_edit_adds_one_version(corrected, admin_client):
    response = edit_in_admin(admin_client, corrected, author="Kim Ji Eun")
    assert response.status_code == 302
    assert list(corrected.versions.values_list("number", "metadata__author")) == [
        (1, "Kang Mi Jin"), (2, "Kang Mi Jin"), (3, "Kim Ji Eun")]


def test_saving_the_admin_form_without_a_change_creates_no_version(report, admin_client):
    assert edit_in_admin(admin_client, report).status_code == 302
    assert report.versions.count() == 0


def test_reingesting_a_changed_file_keeps_the_previous_version(report, ingest, tmp_path):
    [outcome] = ingest(write_report(tmp_path, title="Border guards in Hyesan ordered to smuggle copper"))
    assert (outcome.status, outcome.keys) == ("updated", [report.key])
    first, second = Article.objects.get().versions.all()
    assert first.title == REPORT["title"]
    assert second.title == "Border guards in Hyesan ordered to smuggle copper"
    assert second.edited_by is None


def test_reingesting_an_unchanged_file_creates_no_version(report, ingest, tmp_path):
    [outcome] = ingest(write_report(tmp_path))
    assert outcome.status == "unchanged"
    assert report.versions.count() == 0


def test_the_article_page_says_when_it_was_corrected_and_links_to_its_history(corrected, client):
    page = client.get(corrected.get_absolute_url()).content.decode()
    assert re.search(r"Corrected on <time datetime=\"\d{4}-\d\d-\d\d\">\d+ \w+ \d{4}</time>: The source was in Samsu",
                     page)
    assert f'href="/articles/{corrected.key}/v/"' in page
    assert f'href="/articles/{corrected.key}/v/2/"' in page


def test_an_article_never_corrected_shows_no_correction_notice(report, client):
    assert "Corrected on" not in client.get(report.get_absolute_url()).content.decode()


def test_the_history_page_lists_the_versions_and_shows_what_changed(corrected, client):
    response = client.get(f"/articles/{corrected.key}/v/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Version 2 (current)") < page.index("Version 1")
    assert re.search(r"<dt>Regions</dt><dd><del>.*?Hyesan</del> .*?<ins>.*?Samsu</ins></dd>", page)
    assert ('help trading companies move <del><span class="visually-hidden">deleted: </span>goods.</del> '
            '<ins><span class="visually-hidden">inserted: </span>copper.</ins>') in page
    assert "(2 unchanged paragraphs)" in page  # the other paragraphs are summarised, not repeated


def test_the_diff_escapes_text_that_looks_like_markup(report, admin_client, client):
    body = report.body_html.replace("move goods", "move &lt;script&gt;alert(1)&lt;/script&gt; goods")
    assert edit_in_admin(admin_client, report, body_html=body).status_code == 302
    page = client.get(f"/articles/{report.key}/v/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_a_version_url_shows_the_text_as_it_was(corrected, client):
    old = client.get(f"/articles/{corrected.key}/v/1/").content.decode()
    assert "version 1 of 2" in old
    assert "move goods" in old and "move copper" not in old
    assert "<dt>Regions</dt><dd>Hyesan, Ryanggang</dd>" in old
    current = client.get(f"/articles/{corrected.key}/v/2/").content.decode()
    assert "This is the current version (2)" in current
    assert "move copper" in current and "<dt>Regions</dt><dd>Ryanggang, Samsu</dd>" in current


def test_an_article_never_corrected_is_its_own_version_1(report, client):
    page = client.get(f"/articles/{report.key}/v/1/").content.decode()
    assert "This is the current version (1)" in page
    assert client.get(f"/articles/{report.key}/v/").status_code == 200


@pytest.mark.parametrize("number", [0, 3, 99])
def test_a_version_that_does_not_exist_answers_404(corrected, client, number):
    assert client.get(f"/articles/{corrected.key}/v/{number}/").status_code == 404


def test_the_history_of_an_unknown_key_answers_404(db, client):
    assert client.get("/articles/aaaaaaaaaa/v/").status_code == 404


def test_a_word_diff_marks_insertions_and_deletions_and_summarises_unchanged_paragraphs():
    old = "Guards in Hyesan moved goods.\n\nNothing else.\n\nStill nothing."
    new = "Guards in Samsu moved goods.\n\nNothing else.\n\nStill nothing."
    assert diff_text(old, new) == [
        Paragraph([Segment("same", "Guards in"), Segment("del", "Hyesan"), Segment("ins", "Samsu"),
                   Segment("same", "moved goods.")]),
        Paragraph(skipped=2),
    ]


def test_a_new_paragraph_is_shown_as_inserted():
    assert diff_text("One.", "One.\n\nTwo more words.") == [
        Paragraph(skipped=1), Paragraph([Segment("ins", "Two more words.")])]
