"""Dates, sorting, pagination, snippets, partial matches, spelling and related reports."""

import datetime
import json

import pytest

from archive.models import Article
from archive.search import related_articles
from tests.conftest import SEED_000
from tests.search_helpers import REPORTS, search, titles


@pytest.fixture(autouse=True)
def corpus(ingest):
    ingest(REPORTS)


def dates(page):
    return [hit.article.published for hit in page.hits]


def test_newest_first_puts_undated_reports_last():
    found = dates(search(sort="newest"))
    assert found[0] == datetime.date(2021, 8, 8)
    assert found[-3:] == [None, None, None]
    assert found[:-3] == sorted(found[:-3], reverse=True)


def test_oldest_first_also_puts_undated_reports_last():
    found = dates(search(sort="oldest"))
    assert found[0] == datetime.date(2017, 1, 1)
    assert found[-3:] == [None, None, None]
    assert found[:-3] == sorted(found[:-3])


def test_without_a_query_the_newest_come_first():
    assert dates(search())[0] == datetime.date(2021, 8, 8)


@pytest.mark.parametrize("q", ["*", "-", "( )"])
def test_a_query_that_reduces_to_everything_lists_the_newest_first_and_undated_last(q):
    found = dates(search(q=q, size="50"))
    assert found == dates(search(size="50"))
    assert found[-3:] == [None, None, None] and found[0] == datetime.date(2021, 8, 8)


def test_a_date_range_includes_both_ends_and_leaves_out_undated():
    page = search(**{"from": "2019-03-20", "to": "2019-07-11"})
    assert set(titles(page)) == {"Traders smuggle mobile phones across the border",
                                 "Market prices of rice rise in Pyongyang"}


def test_a_year_alone_is_a_whole_year():
    assert search(**{"from": "2020", "to": "2020"}).count == 4
    assert search(**{"from": "2021"}).count == 2


def test_pages_split_the_list_without_overlap():
    first, second = search(size="10"), search(size="10", page="2")
    assert len(first.hits) == 10 and len(second.hits) == 8 and first.page_count == 2
    assert not set(titles(first)) & set(titles(second))


def test_snippets_mark_the_stemmed_term_and_keep_only_mark():
    snippet = search(q="smuggle", source="nk-news").hits[0].snippet
    assert "<mark>smuggled</mark>" in snippet
    assert len(snippet) < 400
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_snippets_escape_markup_in_the_text():
    snippet = search(q="agriculture").hits[0].snippet
    assert "&amp; <mark>agriculture</mark>" in snippet


def test_few_full_matches_continue_with_partial_ones():
    page = search(q="rice harvest")
    assert (page.count, page.matched_all) == (2, 1)
    assert [(hit.article.title, hit.match) for hit in page.hits] == [
        ("Rice harvest falls short in Ryanggang", "all"), ("Market prices of rice rise in Pyongyang", "partial")]
    assert "<mark>rice</mark>" in page.hits[1].snippet
    assert page.is_partial


def test_partial_matches_keep_the_facet_filters():
    page = search(q="rice harvest", source="nk-news")
    assert (page.count, page.matched_all) == (1, 0)
    assert page.hits[0].match == "partial"


@pytest.mark.parametrize("q", ["rice harvest -Pyongyang", "rice harvest NOT Pyongyang", "-Pyongyang rice harvest"])
def test_a_word_left_out_stays_left_out_of_the_partial_matches(q):
    """A list of words with some left out (-word, NOT word) is still a list: when few reports hold every word, the
    results go on with reports holding some of them and none of those left out."""
    page = search(q=q)
    assert (page.count, page.matched_all) == (1, 1)
    assert titles(page) == ["Rice harvest falls short in Ryanggang"]
    assert search(q="rice harvest -Ryanggang").count == 1  # the partial match of "rice", not in Ryanggang
    assert search(q="rice harvest -Ryanggang").hits[0].match == "partial"


def test_a_quoted_phrase_stays_a_phrase_in_the_partial_matches():
    """Quotes keep words together, not every part of the list: when few reports hold all of it, the results go on
    with those holding the phrase (as a phrase: a report with "rice" alone is not listed) or another part."""
    page = search(q='"rice harvest" squid')
    assert page.matched_all == 0
    assert {(hit.article.title, hit.match) for hit in page.hits} == {
        ("Rice harvest falls short in Ryanggang", "partial"), ("Fishing boats return empty", "partial")}


def test_a_field_or_a_proximity_keeps_a_query_literal():
    assert search(q='"rice harvest"~2 squid').count == 0
    assert search(q="title:rice squid").count == 0


def test_a_misspelling_gets_a_suggestion():
    page = search(q="smugling")
    assert page.count == 0
    assert page.suggestion == "smuggling"


def test_a_query_that_finds_plenty_gets_no_suggestion():
    assert search(q="phones").suggestion == ""


def test_related_reports_share_words_and_exclude_the_report_itself():
    article = Article.objects.get(title="Phone crackdown in Hyesan")
    related = related_articles(article, limit=3)
    assert article not in related
    assert related and related[0].title in {"Traders smuggle mobile phones across the border",
                                            "Cross-border phone calls traced"}
    assert len(related) <= 3


def test_related_reports_take_in_a_report_ingested_since(ingest, tmp_path):
    article = Article.objects.get(title="Phone crackdown in Hyesan")
    related_articles(article)  # kept for this index generation
    report = {"title": "Security agents fine phone owners", "source": "Daily NK", "date": "2019-12-01",
              "body": "State security agents fined the owners of Chinese mobile phones found in their homes.",
              "url": "https://example.org/reports/phones-fined"}
    (tmp_path / "new.jsonl").write_text(json.dumps(report) + "\n")
    ingest(tmp_path / "new.jsonl")
    assert related_articles(article, limit=3)[0].title == "Security agents fine phone owners"



def test_brackets_around_plain_words_keep_partial_matches():
    # Natural questions carry brackets ("(rice) harvest"): grouping alone is not an operator.
    page = search(q="(rice) harvest")
    assert (page.count, page.matched_all) == (2, 1)


def test_a_hyphenated_word_is_a_word_not_an_operator():
    page = search(q="cross-border squid")
    assert page.matched_all == 0
    assert "Cross-border phone calls traced" in titles(page)
    assert all(hit.match == "partial" for hit in page.hits)


def test_a_snippet_that_is_the_whole_text_has_no_ellipsis(ingest):
    snippet = search(q="smuggle", source="nk-news").hits[0].snippet
    assert snippet == "New detection equipment traced calls made on <mark>smuggled</mark> phones near the border."


def test_a_snippet_cut_from_a_long_text_says_so_with_ellipses(ingest):
    ingest(SEED_000)
    snippet = search(q="loan shark").hits[0].snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>loan</mark> <mark>shark</mark>" in snippet
