"""Snippets: the fragments Whoosh's highlighter would cut, without running the analyzer over every word shown.

``MarkHighlighter`` (``archive/search/whoosh/snippets.py``) reads the words of a text with the analysis's own rules and
feeds the fragmenter only the words near a match. Checked two ways: on reports ingested and searched (a match deep
in a long report, Hangul pairs, acronyms, markup), and against Whoosh's own pipeline (the analyzer over every token,
``ContextFragmenter``, the merge of overlapping matches) on generated texts, where both must give the same HTML.
"""

import html
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, Highlighter, set_matched_filter

from archive.search.whoosh import snippets
from archive.search.whoosh.analysis import _TOKEN, TERM_INITIAL, ArchiveTokenizer, word_spans, word_tokens
from tests.search_helpers import search

FILLER = "Officials met traders at the station and talked about the weather. "
REPORTS = [
    ("Collapse far into a long report", FILLER * 700 + "A tunnel collapsed near the mine at Musan."),
    ("Crackdown in the city", "혜산시에서 쌀 단속이 심해졌다. 주민들이 걱정한다."),
    ("Drills condemned", "The U.S. imperialists staged drills near the peninsula."),
    ("Markup in a report", "Traders wrote <script>alert(1)</script> & \"quotes\" beside the word harvest."),
]
# Words of every kind the analysis tells apart, and characters that must be escaped.
WORDS = ("the", "market", "markets", "marketing", "U.S.", "USA", "US", "us", "UN", "Un", "P'yŏngyang", "Pyongyang",
         "Kim's", "혜산시에서", "혜산", "산시", "쌀", "단속이", "a혜산b", "3.5", "D.P.R.K.", "<b>", "&amp;", "\"", "x" * 170,
         "rice", "harvest", "prices", "grain", "a", "of", "to", "in", "said", "traders", "officials", "residents",
         "Ŏnsŏng", "ŏnsong", "Onsong", "Énergie", "1990s", "RICE", "Rice", "ﬁnance", "finance", "İstanbul", "istanbul")
GAPS = (" ", " ", " ", ", ", ". ", "\n\n", " — ", "")


@pytest.fixture
def reports(ingest, tmp_path):
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"title": title, "body": body, "url": f"https://example.org/s/{n}"})
                              for n, (title, body) in enumerate(REPORTS)))
    ingest(path)


def snippet_of(q: str) -> str:
    page = search(q=q)
    assert page.hits, q
    return page.hits[0].snippet


def test_a_word_found_only_deep_in_a_long_report_gets_its_fragment(reports):
    snippet = snippet_of("tunnel")
    assert "A <mark>tunnel</mark> collapsed near the mine at Musan." in snippet
    assert snippet.startswith("… ")


def test_a_hangul_word_is_marked_inside_its_longer_word(reports):
    assert "<mark>혜산</mark>시에서" in snippet_of("혜산")
    assert "<mark>쌀</mark>" in snippet_of("쌀")


def test_US_marks_the_acronym_written_with_dots(reports):
    assert snippet_of("US") == "The <mark>U.S.</mark> imperialists staged drills near the peninsula."


def test_markup_in_the_text_is_shown_as_text(reports):
    snippet = snippet_of("harvest")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\"" in snippet
    assert "<mark>harvest</mark>" in snippet


def whoosh_highlight(text: str, terms: frozenset) -> str:
    """What Whoosh's ``Highlighter.highlight_hit`` makes of the text (every token analysed), with our choice among
    fragments scoring the same and no limit on the characters read."""
    highlighter = Highlighter(fragmenter=ContextFragmenter(maxchars=snippets.SNIPPET_CHARS, surround=snippets.SURROUND,
                                                           charlimit=None), formatter=snippets.MarkFormatter())
    tokens = ArchiveTokenizer()(text, positions=True, chars=True, mode="index", removestops=False)
    fragments = highlighter.fragmenter.fragment_tokens(
        text, highlighter._merge_matched_tokens(set_matched_filter(tokens, terms)))
    return highlighter.formatter.format(snippets._best(fragments, 2, BasicFragmentScorer(), 1))


def index_terms(text: str) -> list[str]:
    return sorted({token.text for token in ArchiveTokenizer()(text, mode="index")})


@st.composite
def text_and_terms(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=300))
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words), max_size=len(words)))
    text = "".join(word + gap for word, gap in zip(words, gaps, strict=True))
    terms = index_terms(text)
    chosen = draw(st.lists(st.sampled_from(terms), min_size=1, max_size=4)) if terms else []
    return text, frozenset(chosen)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_terms())
def test_the_fragments_are_whoosh_fragments(case):
    text, terms = case
    assert snippets.MarkHighlighter().highlight(text, terms) == whoosh_highlight(text, terms)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_terms())
def test_only_words_with_a_term_are_marked_and_the_rest_is_escaped_text(case):
    text, terms = case
    marked = snippets.MarkHighlighter().highlight(text, terms)
    for fragment in marked.split(" … "):
        assert re.sub(r"</?mark>", "", fragment).count("<") == 0
        assert html.unescape(re.sub(r"</?mark>", "", fragment)) in text
        for word in re.findall(r"<mark>(.*?)</mark>", fragment):
            assert terms & set(index_terms(html.unescape(word)))


def test_a_fragment_whose_countdown_ends_at_exactly_nothing_takes_the_next_word_along_as_whoosh_does():
    """Whoosh leaves the countdown at 0: the word after such a fragment makes an empty fragment of its own and is no
    context for the next match ("said" is not shown before the second "rice")."""
    text = "to rice traders to residents residents the a the the traders prices prices said rice to"
    expected = ("to <mark>rice</mark> traders to residents residents the a the the traders prices prices … "
                "<mark>rice</mark> to")
    assert snippets.MarkHighlighter().highlight(text, frozenset({"rice"})) == expected
    assert whoosh_highlight(text, frozenset({"rice"})) == expected


def test_a_text_without_a_term_gives_no_fragment():
    assert snippets.MarkHighlighter().highlight("Rice prices rose.", frozenset({"market"})) == ""


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_a_word_the_highlighter_skips_by_its_first_letter_holds_no_term_of_another_letter(text):
    """What ``MarkHighlighter`` relies on to read only some words' terms: every term of a word begins with the word's
    ``TERM_INITIAL`` (lowercased), unless that is "" (Hangul), and ``word_spans`` places the tokens as
    ``word_tokens`` does."""
    for word in _TOKEN.findall(text):
        tokens = word_tokens(word, False).tokens
        if initial := TERM_INITIAL[word[0]]:
            assert {term[:1].lower() for term, *_ in tokens} == {initial}, word
        assert word_spans(word) == tuple((start, end) for _term, _at, start, end in tokens), word
