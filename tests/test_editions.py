"""Linked editions: an English and a Korean version of one report link to each other, from a record's
``translation_of`` (whichever edition is ingested first) or from the admin."""

import json

import pytest

from archive.ingest import ingest_bytes
from archive.models import Article
from tests.admin_helpers import edit_in_admin

ENGLISH = {"url": "https://example.org/en/rice-hyesan", "title": "Rice prices soar in Hyesan",
           "body": "A source in Hyesan said rice now costs twice what it did in spring."}
KOREAN = {"url": "https://example.org/ko/rice-hyesan", "title": "혜산 쌀값 급등",
          "body": "혜산시 소식통은 쌀값이 봄보다 두 배로 올랐다고 전했다.",
          "translation_of": "https://example.org/en/rice-hyesan"}


def ingest_record(name: str, record: dict) -> Article:
    outcome = ingest_bytes(name, json.dumps(record, ensure_ascii=False).encode())
    assert outcome.status == "added", outcome.reason
    return Article.objects.get(key=outcome.keys[0])


def edition_link(client, article: Article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.find('class="edition-link"')
    return html[html.rfind("<a ", 0, start):html.find("</a>", start) + 4] if start != -1 else ""


def test_each_edition_links_to_the_other(client, db):
    english = ingest_record("en.json", ENGLISH)
    korean = ingest_record("ko.json", KOREAN)
    assert korean.translation_of == english
    assert edition_link(client, english) == (f'<a class="edition-link" href="{korean.get_absolute_url()}" '
                                             f'hreflang="ko">Read in Korean</a>')
    assert edition_link(client, korean) == (f'<a class="edition-link" href="{english.get_absolute_url()}" '
                                            f'hreflang="en">Read in English</a>')


def test_the_korean_edition_may_come_first(client, db):
    korean = ingest_record("ko.json", KOREAN)
    assert (korean.translation_of, korean.translation_ref) == (None, ENGLISH["url"])
    assert edition_link(client, korean) == ""
    english = ingest_record("en.json", ENGLISH)
    korean.refresh_from_db()
    assert (korean.translation_of, korean.translation_ref) == (english, "")
    assert "Read in Korean" in edition_link(client, english)


def test_both_editions_in_one_file_link_whatever_their_order(client, db):
    lines = "\n".join(json.dumps(record, ensure_ascii=False) for record in (KOREAN, ENGLISH))
    assert ingest_bytes("both.jsonl", lines.encode()).status == "added"
    korean = Article.objects.get(url=KOREAN["url"])
    assert korean.translation_of == Article.objects.get(url=ENGLISH["url"])


def test_an_edition_can_be_named_by_its_archive_key_or_permalink(client, db):
    english = ingest_record("en.json", ENGLISH)
    by_key = ingest_record("ko.json", {**KOREAN, "translation_of": english.key})
    assert by_key.translation_of == english
    permalink = f"https://archive.example/articles/{english.key}/rice-prices-soar-in-hyesan/"
    by_permalink = ingest_record("ko2.json", {**KOREAN, "url": "https://example.org/ko/2", "translation_of": permalink})
    assert by_permalink.translation_of == english


def test_a_withdrawn_edition_is_not_offered(client, db):
    from archive.withdrawal import withdraw

    english = ingest_record("en.json", ENGLISH)
    korean = ingest_record("ko.json", KOREAN)
    withdraw(english, "a duplicate", None)
    assert edition_link(client, korean) == ""


@pytest.mark.django_db
def test_the_admin_links_two_editions(admin_client):
    english = ingest_record("en.json", ENGLISH)
    korean = ingest_record("ko.json", {key: value for key, value in KOREAN.items() if key != "translation_of"})
    assert edit_in_admin(admin_client, korean, translation_of=english.pk).status_code == 302
    korean.refresh_from_db()
    assert korean.translation_of == english
    assert not korean.versions.exists()  # a link is not a correction of the report
    assert "Read in English" in edition_link(admin_client, korean)
    assert "Read in Korean" in edition_link(admin_client, english)
