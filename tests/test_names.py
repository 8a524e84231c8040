"""Names in the right order: ingest guesses an author's family and given names, an archivist can correct them, and
a correction survives a re-ingest."""

import json

import pytest

from archive.models import Article
from archive.names import guess_name_parts
from tests.admin_helpers import edit_in_admin
from tests.conftest import DATA

REPORTS = DATA / "exports" / "reports.jsonl"


@pytest.mark.parametrize("byline, parts", [
    ("Jong So Yong", ("Jong", "So Yong")),  # the seed's reporter: Ms Jong
    ("Kim Ji-eun", ("Kim", "Ji-eun")),
    ("Lee Min", ("Lee", "Min")),
    ("Ri Sang Yong", ("Ri", "Sang Yong")),
    ("Pak Yong Ho", ("Pak", "Yong Ho")),
    ("Choe Son Hui", ("Choe", "Son Hui")),
    ("Chad O'Carroll", ("O'Carroll", "Chad")),  # not a Korean family name first: the Western order
    ("Colin Zwirko", ("Zwirko", "Colin")),
    ("Jong, So Yong", ("Jong", "So Yong")),  # written "Family, Given": as written
    ("정소영", ("정", "소영")),  # Hangul: one-syllable family name
    ("남궁민", ("남궁", "민")),  # a two-syllable one
    ("정 소영", ("정", "소영")),
    ("Reuters", ("Reuters", "")),
    ("  Jong   So  Yong ", ("Jong", "So Yong")),
    ("", ("", "")),
])
def test_a_byline_is_split_into_family_and_given_names(byline, parts):
    assert guess_name_parts(byline) == parts


def test_ingest_stores_the_guess(ingest):
    ingest(REPORTS)
    article = Article.objects.get(author="Jong So Yong")
    assert (article.author_family, article.author_given) == ("Jong", "So Yong")


def test_a_corrected_name_survives_a_reingest_of_a_changed_file(ingest, tmp_path):
    record = {"title": "Border report", "author": "Han Song Il", "body": "Traders crossed the river.",
              "url": "https://example.org/names/1"}
    path = tmp_path / "report.jsonl"
    path.write_text(json.dumps(record))
    ingest(path)
    Article.objects.filter(author="Han Song Il").update(author_family="Il", author_given="Han Song")  # the archivist
    path.write_text(json.dumps({**record, "body": "Traders crossed the river at night."}))
    assert ingest(path)[0].status == "updated"
    article = Article.objects.get(url=record["url"])
    assert (article.author_family, article.author_given) == ("Il", "Han Song")

    path.write_text(json.dumps({**record, "author": "Kang Mi Jin"}))  # a new byline is guessed anew
    ingest(path)
    article.refresh_from_db()
    assert (article.author_family, article.author_given) == ("Kang", "Mi Jin")



def test_the_archivist_corrects_the_parts_in_the_admin(admin_client, ingest):
    ingest(REPORTS)
    article = Article.objects.get(author="Chad O'Carroll")
    assert edit_in_admin(admin_client, article, author_family="O'Carroll", author_given="C.").status_code == 302
    article.refresh_from_db()
    assert (article.author, article.author_family, article.author_given) == ("Chad O'Carroll", "O'Carroll", "C.")


def test_a_byline_changed_in_the_admin_gets_its_parts_guessed_again(admin_client, ingest):
    ingest(REPORTS)
    article = Article.objects.get(author="Chad O'Carroll")
    assert edit_in_admin(admin_client, article, author="Ri Kyong Hui").status_code == 302
    article.refresh_from_db()
    assert (article.author_family, article.author_given) == ("Ri", "Kyong Hui")
