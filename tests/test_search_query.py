"""The query language: words, phrases, operators, fields, prefixes; and how a query is read."""

import pytest

from archive.search.whoosh.catalog import Catalog
from tests.search_helpers import REPORTS, search, titles


@pytest.fixture(autouse=True)
def corpus(ingest):
    ingest(REPORTS)


def test_a_word_finds_its_other_forms():
    page = search(q="smuggle")
    assert set(titles(page)) == {
        "Smuggling crackdown in Hyesan", "Traders smuggle mobile phones across the border",
        "Cross-border phone calls traced", "Weekly roundup of provincial news",
    }


def test_words_side_by_side_must_all_be_there():
    page = search(q="guards yalu")
    assert set(titles(page)) == {"Smuggling crackdown in Hyesan", "Border guards punished for bribery"}
    assert page.reading == "guards AND yalu; 2 reports hold every word; then reports holding some of them"


def test_a_phrase_keeps_its_word_order():
    assert set(titles(search(q='"mobile phones"'))) == {
        "Traders smuggle mobile phones across the border", "Phone crackdown in Hyesan"}
    assert search(q='"phones mobile"').count == 0


def test_or_finds_either_word():
    assert set(titles(search(q="squid OR gold"))) == {"Fishing boats return empty", "Gold mining permits sold"}


def test_and_is_taken_literally_without_partial_matches():
    page = search(q="rice AND squid")
    assert page.count == 0 and page.hits == []


def test_not_and_minus_leave_out_a_word():
    with_not = search(q="phones NOT smuggled")
    with_minus = search(q="phones -smuggled")
    assert titles(with_not) == titles(with_minus) == ["Phone crackdown in Hyesan"]


def test_parentheses_group_alternatives():
    page = search(q="(copper OR bribery) guards")
    assert set(titles(page)) == {"Smuggling crackdown in Hyesan", "Border guards punished for bribery"}
    assert page.reading == "(copper OR bribery) AND guards"


def test_title_field_looks_only_in_titles():
    assert set(titles(search(q="title:rationing"))) == {"Rationing resumes in the county", "Corn rationing resumes"}
    assert search(q="title:smugglers").count == 0  # in a body, never in a title


def test_author_source_and_region_fields_take_names():
    assert search(q='author:"Park Hyun"').count == 4
    assert search(q='source:"Rimjin-gang" rice').count == 1
    assert set(titles(search(q="region:sinuiju copper"))) == {"Copper prices in Sinuiju markets"}


def test_a_prefix_finds_every_word_it_begins():
    page = search(q="phon*")
    assert set(titles(page)) == {"Traders smuggle mobile phones across the border", "Phone crackdown in Hyesan",
                                 "Cross-border phone calls traced"}


def test_a_prefix_of_many_words_is_read_as_its_most_frequent(monkeypatch):
    monkeypatch.setattr(Catalog, "PREFIX_TERMS", 1)  # smug* begins smuggl (4 reports) and smuggler (fewer)
    page = search(q="smug*")
    assert set(titles(page)) == set(titles(search(q="smuggle")))
    assert page.reading == "smug*; smug* read as its 1 most frequent words"


def test_a_prefix_within_the_bound_is_read_whole_and_says_nothing():
    page = search(q="smug*")
    assert set(titles(search(q="smuggle"))) < set(titles(page))
    assert page.reading == "smug*"


def test_a_match_in_the_title_outranks_one_in_the_body():
    assert titles(search(q="corn rationing"))[0] == "Corn rationing resumes"
    assert titles(search(q="corn", sort="relevance"))[0] == "Corn rationing resumes"


def test_kims_stays_kims():
    page = search(q="Kim's")
    assert titles(page) == ["Kim's speech on the economy"]
    assert page.reading == "\"Kim's\""
    assert "<mark>Kim</mark>'<mark>s</mark>" in page.hits[0].snippet  # every word counts: the s is a word too


@pytest.mark.parametrize("text, reading", [
    ('"mobile phones', '"mobile phones"; closed an unbalanced quote'),
    ("(smuggling OR copper", "smuggling OR copper; closed an unbalanced '('"),
    ("copper)", "copper; ignored an unmatched ')'"),
    ("OR copper", "copper; ignored an OR with nothing on one side"),
    ("copper NOT", "copper; ignored a NOT with nothing after it"),
    ("title: copper", "copper; ignored 'title:' with nothing after it"),
    ("copper *", "copper; ignored a lone '*' (it ends a word to find every word beginning so, as in smugg*)"),
    ("(" * 150 + "copper" + ")" * 150, "copper"),
    ("(" * 400 + "copper", "copper; read brackets nested deeper than 8 as if they were not there; "
                           "closed an unbalanced '('"),
    ("copper" + " AND (copper" * 10 + ")" * 10,
     " AND ".join(["copper"] * 11) + "; read brackets nested deeper than 8 as if they were not there"),
])
def test_hostile_queries_get_the_best_reading(text, reading):
    page = search(q=text)
    assert page.reading == reading
    assert page.count >= 1
