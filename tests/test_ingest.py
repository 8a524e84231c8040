"""Ingest: every format, every extraction from the seeds, every rejection reason, and idempotence."""

import datetime
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.ingest import ingest_bytes
from archive.ingest.extract import derive_title
from archive.ingest.keys import article_key
from archive.models import Article
from tests.conftest import DATA, SEED_000, SEED_003

INGEST_DATA = DATA / "ingest"
HYESAN = "Rice prices soar in Hyesan\n\nA source in Hyesan said rice now costs twice what it did in spring.\n"
CHONGJIN = "Fuel runs short in Chongjin\n\nDrivers in Chongjin wait days for diesel, a source said.\n"


def region_names(article):
    return sorted(region.name for region in article.regions.all())


# Seeds: extraction


def test_seed_003_headline_line_becomes_the_title(ingest):
    [outcome] = ingest(SEED_003)
    assert outcome.status == "added"
    article = Article.objects.get()
    assert article.title == "North Korean intel agency to oversee expanded smuggling ops"
    assert not article.body_text.startswith("North Korean intel agency")


def test_seed_000_without_headline_gets_a_short_derived_title(ingest):
    ingest(SEED_000)
    article = Article.objects.get()
    first_paragraph = article.body_text.split("\n\n")[0]
    assert article.title.startswith("North Korea’s Central Public Prosecutor’s Office")
    assert len(article.title.split()) <= 12
    assert len(article.title) < len(first_paragraph)


def test_seeds_are_daily_nk_reports(ingest):
    ingest(SEED_000, SEED_003)
    assert {a.source.name for a in Article.objects.all()} == {"Daily NK"}


def test_seed_000_author_comes_from_the_closing_blurb(ingest):
    ingest(SEED_000)
    assert Article.objects.get().author == "Jong So Yong"


def test_seed_003_states_no_author(ingest):
    ingest(SEED_003)
    assert Article.objects.get().author == ""


def test_closing_blurb_is_not_part_of_the_body(ingest):
    ingest(SEED_000, SEED_003)
    for article in Article.objects.all():
        assert "Please direct any comments" not in article.body_text
        assert "Contact us at" not in article.body_text
        assert "freelance reporters" not in article.body_text


def test_seed_003_is_in_ryanggang(ingest):
    ingest(SEED_003)
    names = region_names(Article.objects.get())
    assert "Ryanggang" in names
    assert {"Hyesan", "Samsu"} <= set(names)
    # "The authorities in Pyongyang" is the government, not the place; "Kumgang Office" is an organisation.
    assert "Pyongyang" not in names
    assert "Kumgang" not in names


def test_seed_000_is_in_north_hamgyong_not_in_its_captions_city(ingest):
    ingest(SEED_000)
    names = region_names(Article.objects.get())
    assert "North Hamgyong" in names
    # The photo caption names Hamhung (which is in South Hamgyong): a caption is not where the report is from.
    assert "Hamhung" not in names
    assert "South Hamgyong" not in names


def test_a_city_implies_its_province(ingest):
    ingest(INGEST_DATA / "dateline.txt")
    assert {"Hoeryong", "North Hamgyong"} <= set(region_names(Article.objects.get()))


def test_seeds_state_no_year_so_their_date_is_unknown(ingest):
    # Seed 003 says "on February 28" and seed 000 "from Aug. 22": no year, so no date is invented.
    ingest(SEED_000, SEED_003)
    assert list(Article.objects.values_list("published", flat=True)) == [None, None]


def test_a_stated_dateline_becomes_the_publication_date(ingest):
    ingest(INGEST_DATA / "dateline.txt")
    article = Article.objects.get()
    assert article.published == datetime.date(2019, 3, 4)
    assert article.published_precision == "day"
    assert article.title == "Border guards reassigned in Hoeryong"
    assert "March 4, 2019" not in article.title


def test_a_date_without_a_year_takes_the_year_the_report_gives_its_month(db):
    text = ("Arrests in Hyesan market\n\nIn the second week of August 2024, inspectors arrived in Hyesan.\n\n"
            "On 12 August they closed the market, a source said.\n")
    ingest_bytes("hyesan.txt", text.encode())
    article = Article.objects.get()
    assert (article.published, article.published_precision) == (datetime.date(2024, 8, 12), "day")


def test_a_month_stated_with_its_year_dates_a_report_that_gives_no_day(db):
    ingest_bytes("fuel.txt", b"Fuel prices\n\nIn March 2023 diesel doubled in price in Chongjin.\n")
    article = Article.objects.get()
    assert (article.published_display, article.published_precision) == ("March 2023", "month")


@pytest.mark.parametrize("text, expected", [
    ("2024년 8월 15일 혜산시에서 단속이 있었다고 소식통이 전했다.", datetime.date(2024, 8, 15)),
    ("2024년 8월 들어 단속이 강화됐다. 8월 12일에는 시장이 닫혔다.", datetime.date(2024, 8, 12)),
])
def test_korean_dates_are_read(db, text, expected):
    ingest_bytes("report.txt", text.encode())
    assert Article.objects.get().published == expected


@pytest.mark.parametrize("byline", [
    "By Lee Min-ho",
    "Reporting by Lee Min-ho; editing by Kim Ji-eun",
    "Lee Min-ho, Daily NK",
])
def test_bylines_of_the_common_forms_give_the_author(db, byline):
    text = f"Rice prices in Hyesan\n\n{byline}\n\nRice prices rose in Hyesan this week, a source said.\n"
    ingest_bytes("rice.txt", text.encode())
    assert Article.objects.get().author == "Lee Min-ho"


def test_a_byline_at_the_end_gives_the_author(db):
    text = "Rice prices in Hyesan\n\nRice prices rose in Hyesan this week, a source said.\n\nReporting by Lee Min-ho\n"
    ingest_bytes("rice.txt", text.encode())
    assert Article.objects.get().author == "Lee Min-ho"


def test_a_record_that_lists_regions_is_also_tagged_with_the_places_it_names(db):
    record = {"title": "Smuggling on the Yalu", "regions": ["Hyesan"],
              "body": "Smugglers from Sinuiju crossed the Yalu, while traders in Hyesan waited."}
    ingest_bytes("record.json", json.dumps(record).encode())
    assert region_names(Article.objects.get()) == ["Hyesan", "North Pyongan", "Ryanggang", "Sinuiju"]
    ingest_bytes("empty-list.json", json.dumps({**record, "regions": [], "url": "https://example.org/yalu"}).encode())
    assert region_names(Article.objects.get(url="https://example.org/yalu")) == [
        "Hyesan", "North Pyongan", "Ryanggang", "Sinuiju"]


def test_derived_title_never_is_the_whole_first_paragraph():
    paragraph = " ".join(["word"] * 60) + "."
    assert len(derive_title(paragraph).split()) <= 12


# Formats


def test_html_body_is_extracted_and_sanitized(ingest):
    [outcome] = ingest(INGEST_DATA / "report.html")
    assert outcome.status == "added"
    article = Article.objects.get()
    assert article.title == "Market crackdown in Hyesan targets Chinese goods"
    assert article.author == "Seon Hee Lee"
    assert article.source.name == "Daily NK"
    assert article.published == datetime.date(2019, 3, 4)
    assert article.url == "https://example.org/reports/market-crackdown-hyesan"
    html = article.body_html
    for hostile in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<img", "alert", "<style", "<nav"):
        assert hostile not in html
    assert "<b>Hyesan</b>" in html
    assert 'href="https://example.org/earlier"' in html
    assert "Copyright" not in article.body_text
    assert "Kim's family stall" in article.body_text


def test_jsonl_gives_one_article_per_line_with_its_metadata(ingest):
    [outcome] = ingest(INGEST_DATA / "reports.jsonl")
    assert outcome.status == "added"
    assert outcome.counts["added"] == 2
    rice = Article.objects.get(title="Rice prices climb in Sinuiju")
    assert rice.source.name == "Daily NK"
    assert rice.author == "Kang Mi Jin"
    assert rice.published == datetime.date(2021, 5, 17)
    assert rice.url == "https://example.org/rice-sinuiju"
    assert set(region_names(rice)) == {"Sinuiju", "North Pyongan"}
    untitled = Article.objects.exclude(pk=rice.pk).get()
    assert untitled.title.startswith("Soldiers in Kaesong were ordered")
    assert (untitled.published, untitled.published_precision) == (datetime.date(2020, 4, 1), "month")
    assert untitled.published_display == "April 2020"
    assert "Kaesong" in region_names(untitled)


def test_json_list_is_read_and_a_year_alone_is_a_partial_date(ingest):
    ingest(INGEST_DATA / "list.json")
    article = Article.objects.get()
    assert (article.published, article.published_precision) == (datetime.date(2018, 1, 1), "year")
    assert article.published_iso == "2018"
    assert article.source.name == "Radio Free Asia"


def test_text_in_a_legacy_encoding_is_decoded(ingest):
    [western, korean] = ingest(INGEST_DATA / "legacy-cp1252.txt", INGEST_DATA / "legacy-euckr.txt")
    assert (western.status, korean.status) == ("added", "added")
    assert "“tax” — and it hurts" in Article.objects.get(title="Prices at the Hyesan market").body_text
    assert Article.objects.get(title="혜산 장마당 단속").body_text.startswith("혜산시 장마당에서")


def test_folders_are_read_recursively(ingest, tmp_path):
    shutil.copy(SEED_000, tmp_path / "a.txt")
    (tmp_path / "nested").mkdir()
    shutil.copy(SEED_003, tmp_path / "nested" / "b.txt")
    (tmp_path / "notes.md").write_text("not a report")
    outcomes = ingest(tmp_path)
    assert [o.status for o in outcomes] == ["added", "added"]


# Language


def test_a_report_mostly_in_hangul_is_korean_and_one_in_latin_letters_english(db):
    ingest_bytes("ko.txt", "혜산 쌀값 급등\n\n혜산시 소식통은 쌀값이 봄보다 두 배로 올랐다고 Daily NK에 전했다.\n".encode())
    ingest_bytes("en.txt", "Rice prices soar\n\nA source in Hyesan (혜산) said rice costs twice as much.\n".encode())
    assert dict(Article.objects.values_list("title", "language")) == {"혜산 쌀값 급등": "ko", "Rice prices soar": "en"}


def test_a_records_own_language_wins_as_its_primary_subtag(db):
    for number, stated in enumerate(["ko", "ko-KR", "Korean", "en-US"]):
        record = {"body": "Rice prices rose in Hyesan.", "language": stated, "url": f"https://example.org/{number}"}
        ingest_bytes(f"{number}.json", json.dumps(record).encode())
    assert list(Article.objects.order_by("url").values_list("language", flat=True)) == ["ko", "ko", "ko", "en"]


def test_a_json_record_without_a_language_is_detected_from_its_text(db):
    record = {"body": "<p>혜산시에서 단속이 강화됐다고 소식통이 전했다.</p>"}
    ingest_bytes("ko.json", json.dumps(record, ensure_ascii=False).encode())
    assert Article.objects.get().language == "ko"


def test_an_html_pages_lang_is_its_language(ingest):
    ingest(INGEST_DATA / "report.html")
    assert Article.objects.get().language == "en"


# Rejections


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "the file is empty"),
        ("blank.txt", "the file is empty"),
        ("binary.txt", "the file is binary, not text"),
        ("undecodable.txt", "the file's text encoding cannot be read"),
        ("broken.json", "malformed JSON at line 2"),
        ("bad-record.jsonl", "record 2 has no body"),
        ("bad-date.json", "is not a date"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(ingest, name, reason):
    [outcome] = ingest(INGEST_DATA / name)
    assert outcome.status == "rejected"
    assert reason in outcome.reason
    assert Article.objects.count() == 0


def test_a_jsonl_file_is_one_transaction(ingest):
    # Its first record is fine, its second has no body: neither is stored.
    [outcome] = ingest(INGEST_DATA / "bad-record.jsonl")
    assert outcome.is_rejected
    assert not Article.objects.filter(title="A good record").exists()


def test_oversized_files_are_rejected_before_reading(ingest):
    [outcome] = ingest(SEED_000, max_bytes=1000)
    assert outcome.is_rejected
    assert outcome.reason == "the file is 3.2 KiB; the limit is 1000 bytes"
    assert Article.objects.count() == 0


def test_unsupported_file_types_are_rejected(db):
    outcome = ingest_bytes("report.pdf", b"%PDF-1.4 ...")
    assert outcome.is_rejected
    assert "unsupported file type '.pdf'" in outcome.reason


def test_missing_files_are_rejected(ingest, tmp_path):
    [outcome] = ingest(tmp_path / "nowhere.txt")
    assert outcome.is_rejected
    assert "cannot read the file" in outcome.reason


# Idempotence and updates


def test_reingesting_the_same_file_changes_nothing(ingest):
    ingest(SEED_000, SEED_003)
    before = list(Article.objects.values("key", "title", "updated_at", "content_hash"))
    outcomes = ingest(SEED_000, SEED_003)
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert list(Article.objects.values("key", "title", "updated_at", "content_hash")) == before


def test_two_reports_under_one_file_name_are_two_articles_at_their_own_permalinks(ingest, tmp_path, client):
    """Staff upload a ``report.txt`` week after week: a reused name never overwrites the earlier report."""
    for year, text in (("2019", HYESAN), ("2020", CHONGJIN)):
        (tmp_path / year).mkdir()
        (tmp_path / year / "report.txt").write_text(text)
    assert [o.status for o in ingest(tmp_path / "2019" / "report.txt")] == ["added"]
    hyesan = Article.objects.get()
    assert [o.status for o in ingest(tmp_path / "2020" / "report.txt")] == ["added"]
    chongjin = Article.objects.exclude(pk=hyesan.pk).get()
    assert (hyesan.title, chongjin.title) == ("Rice prices soar in Hyesan", "Fuel runs short in Chongjin")
    assert "Hyesan" in client.get(hyesan.get_absolute_url()).content.decode()
    assert "Chongjin" in client.get(chongjin.get_absolute_url()).content.decode()
    # The name's old key went to the report first stored under it, and stays there.
    assert client.get(f"/articles/{article_key('file:report.txt')}/")["Location"] == hyesan.get_absolute_url()


def test_an_edited_file_is_a_new_report_unless_it_replaces_one_explicitly(ingest, tmp_path):
    path = tmp_path / "report.txt"
    shutil.copy(SEED_003, path)
    ingest(path)
    original = Article.objects.get()
    path.write_text(SEED_003.read_text().replace("smuggling ops", "smuggling operations", 1))
    [outcome] = ingest(path, replace=original.key)
    assert outcome.status == "updated"
    article = Article.objects.get()
    assert (article.key, article.origin) == (original.key, original.origin)
    assert article.title == "North Korean intel agency to oversee expanded smuggling operations"
    assert [v.title for v in article.versions.all()] == [original.title, article.title]
    # The same file again, or the original again, is the same report: nothing changes.
    assert [o.status for o in ingest(path, SEED_003)] == ["unchanged", "unchanged"]
    assert Article.objects.count() == 1


def test_a_replacement_is_refused_for_an_unknown_key_or_a_file_of_several_reports(ingest, tmp_path):
    ingest(SEED_003)
    key = Article.objects.get().key
    [unknown] = ingest(SEED_000, replace="aaaaaaaaaa")
    assert unknown.reason == "no report has the key 'aaaaaaaaaa', so there is nothing to correct"
    records = tmp_path / "two.jsonl"
    records.write_text('{"body": "Rice is dear in Hyesan."}\n{"body": "Fuel is short in Chongjin."}\n')
    [several] = ingest(records, replace=key)
    assert several.reason == "a correction replaces one report, and this file holds 2"
    assert Article.objects.count() == 1


def test_the_command_replaces_the_named_article(db, tmp_path, capsys):
    call_command("ingest", str(SEED_003))
    key = Article.objects.get().key
    path = tmp_path / "corrected.txt"
    path.write_text(SEED_003.read_text().replace("smuggling ops", "smuggling operations", 1))
    call_command("ingest", "--replace", key, str(path))
    assert capsys.readouterr().out.splitlines()[-1] == f"{path}: updated"
    assert Article.objects.get().title.endswith("smuggling operations")
    with pytest.raises(CommandError, match="give exactly one FILE"):
        call_command("ingest", "--replace", key, str(path), str(SEED_000))


# The command


def test_command_prints_a_line_per_file_and_fails_when_one_is_rejected(db, tmp_path, capsys, search_index):
    shutil.copy(SEED_000, tmp_path / "good.txt")
    (tmp_path / "bad.txt").write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(tmp_path))
    assert error.value.returncode == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{tmp_path / 'bad.txt'}: rejected: the file is empty", f"{tmp_path / 'good.txt'}: added"]
    # The good file of the batch is kept.
    assert Article.objects.count() == 1


def test_command_exits_zero_when_nothing_is_rejected(db, capsys):
    call_command("ingest", str(SEED_000))
    call_command("ingest", str(SEED_000))
    assert capsys.readouterr().out.splitlines() == [f"{SEED_000}: added", f"{SEED_000}: unchanged"]


def test_control_characters_are_not_text_and_are_dropped(db):
    """JSON's \\u0000 and stray control bytes in a text file never reach the database (PostgreSQL refuses NUL)."""
    record = '{"title": "Fuel\\u0000 prices", "body": "Diesel\\u0000 is scarce in Chongjin\\u0007 this week."}'
    assert ingest_bytes("fuel.json", record.encode()).status == "added"
    ingest_bytes("rice.txt", b"Rice\x01 prices rose in Hyesan as traders hoarded stock.")
    fuel, rice = Article.objects.get(title="Fuel prices"), Article.objects.exclude(title="Fuel prices").get()
    assert "Diesel is scarce in Chongjin this week." in fuel.body_text
    assert "\x00" not in fuel.body_html + fuel.body_text
    assert "Rice prices rose" in rice.body_text


def test_the_place_name_regex_finds_what_a_flat_longest_first_list_finds(db):
    """The trie-shaped regex (fast) must match exactly like the plain alternation of every name, longest first."""
    import re

    from archive.ingest import gazetteer
    from archive.spelling import has_hangul

    matcher = gazetteer._matcher(gazetteer.table_version())
    latin = [form for form in matcher.forms if not has_hangul(form)]
    flat = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(latin, key=len, reverse=True)) + r")\b",
                      re.ASCII)
    text = ("traders in north hamgyong and south hamgyong, in hyesan-si and hyesan, in pyongyang's sadong district, "
            "in sinuiju and nampo; kimjongsuk county; kim jong-un and ri sol ju; hamhungese is not a place, nor is "
            "samsung.")
    found = [m.group(1) for m in matcher.latin.finditer(text)]
    assert found == [m.group(1) for m in flat.finditer(text)]
    assert {"north hamgyong", "south hamgyong", "hyesan-si", "sinuiju", "kim jong-un", "ri sol ju"} <= set(found)
