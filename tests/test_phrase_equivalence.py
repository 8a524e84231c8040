"""Phrases, NOT and prefixes answered from sets, and words scored from their posting blocks, find exactly what Whoosh's plain matchers find, in the same order.

Phrases are read from word pairs and NOT as a set subtraction (``archive/search/whoosh/phrases.py``); the plain path
(the backend's ``fast_paths`` off) reads positions and tests every candidate as Whoosh does. On a generated corpus
of real-looking reports (seeded: common words, repeated words, acronyms, apostrophes, Hangul, paragraphs; some
withdrawn, so the index holds deleted documents), indexed with every word pair and with the pairs of common words
only, every query below gives the same results both ways: the same articles, in the same order, with the same
scores, the same count and the same facet counts.
"""

import json
import random

import pytest
from haystack import connections
from whoosh.query.spans import SpanNear2

from archive.models import Article
from archive.search.indexing import wait_for_index
from archive.search.whoosh import pairing, phrases
from archive.search.whoosh.catalog import BoundedCache
from archive.withdrawal import withdraw
from tests.search_helpers import search

COMMON = ("the", "of", "and", "in", "to", "a", "state", "people", "party", "may", "day", "will", "market", "said")
CONTENT = ("grain", "prices", "rice", "smuggling", "border", "security", "ministry", "workers", "factory", "rally",
           "soldiers", "sanctions", "traders", "launch", "missile", "supply", "season", "congress", "speech", "youth")
STOCK = ("May Day", "state of the", "the the", "U.S. imperialists", "Kim's speech", "P'yŏngyang", "US forces",
         "the USA", "Ministry of State Security", "food prices", "the state of the market", "UN sanctions")
HANGUL = ("혜산시에서", "쌀", "가격이", "단속", "강화", "평양", "주민들이", "시장")
SOURCES = ("Daily NK", "NK News", "KCNA", "Rodong Sinmun")
REPORTS = 200
WITHDRAWN_EVERY = 17  # every 17th report is withdrawn after the ingest: its document is deleted from the segment
LIVE = REPORTS - len(range(0, REPORTS, WITHDRAWN_EVERY))

PHRASES = ('"may day"', '"state of the"', '"the state of the market"', '"of the"', '"the the"', '"the the the"',
           '"U.S. imperialists"', '"US imperialists"', '"us imperialists"', '"Kim\'s speech"', "Kim's",
           '"food prices"', '"ministry of state security"', '"market day"', '"day may"', '"the"', '"prices"',
           '"혜산시에서 쌀"', '"쌀 가격이"', '"가격이 단속"', '"혜산시에서"', '"주민들이 시장"', '"단속 강화"',
           'title:"may day"', 'title:"state of the"', '"may day" market', '"may day" OR "food prices"',
           '"state of the" NOT rice', '"zzz absent"', '"the zzz"', "grain NEAR/3 prices", '"grain prices"~4')
NOTS = ("market NOT rice", "the NOT the", "people -party", "-the", "NOT market", "NOT zzzabsent",
        "market NOT zzzabsent", "market NOT (rice OR grain)", "market NOT \"may day\"", "NOT \"state of the\"",
        "party NOT source:kcna", "-source:daily-nk", "title:market NOT state", "(rice NOT grain) OR missile",
        "market NOT title:market", "NOT 혜산시에서", "rice AND NOT prices AND NOT grain",
        "(state OR people OR party OR market OR rice OR grain OR prices) AND NOT (rice AND grain AND prices)",
        "state people party market rice grain prices traders zzzabsent",  # the partial matches' NOT
        "Pyongyang NOT rice", "market -Pyongyang", "평양 -market")  # a place's spellings scored as one term
WORDS = ("market", "the", "state people", "market rice", "rice OR grain", "title:market", "market title:state",
         "Pyongyang", "US", "혜산시에서", "market rice grain", "zzzabsent", "rice zzzabsent")  # scored from blocks
PREFIXES = ("s*", "p*", "ma*", "market s*", "title:s*", "gr* NOT rice", "\"may day\" s*", "혜*", "Pyongyang s*")
FILTERS = ({}, {"source": "daily-nk"}, {"year": "2019"}, {"source": ["kcna", "nk-news"], "year": "2020"})


def sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(6, 16)):
        pick = rng.random()
        if pick < 0.12:
            words.append(rng.choice(STOCK))
        elif pick < 0.2:
            words.append(rng.choice(HANGUL))
        elif pick < 0.6:
            words.append(rng.choice(COMMON))
        else:
            words.append(rng.choice(CONTENT))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def report(rng: random.Random, number: int) -> dict:
    paragraphs = ["  ".join(sentence(rng) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 4))]
    title = " ".join(rng.choice(COMMON + CONTENT) for _ in range(rng.randint(2, 6))).capitalize()
    if number % 7 == 0:  # the title ends a phrase the body begins: it must not be found across the two
        title, paragraphs[0] = f"{title} may", f"Day {paragraphs[0]}"
    record = {"title": title, "body": "\n\n".join(paragraphs), "source": SOURCES[number % len(SOURCES)],
              "url": f"https://example.org/generated/{number}"}
    if number % 9:
        record["date"] = f"{2015 + number % 8}-{number % 12 + 1:02d}-{number % 27 + 1:02d}"
    return record


@pytest.fixture(autouse=True, params=[0.0, 0.6], ids=["every pair kept", "pairs of common words kept"])
def corpus(request, ingest, tmp_path, monkeypatch):
    """The generated reports, indexed with every word pair, or with the pairs of the words in 60 % of the reports
    only (``pairing``: the other phrases read positions)."""
    monkeypatch.setattr(pairing, "COMMON_SHARE", request.param)
    rng = random.Random(19)
    path = tmp_path / "generated.jsonl"
    path.write_text("\n".join(json.dumps(report(rng, number)) for number in range(REPORTS)), encoding="utf-8")
    ingest(path)
    for article in Article.objects.order_by("pk")[::WITHDRAWN_EVERY]:  # deleted documents in the index's segment
        withdraw(article, "A duplicate.")
    wait_for_index()


def answer(q: str, fast: bool, **params) -> dict:
    """Everything a search shows, all pages, with the fast paths on or off."""
    backend = connections["default"].get_backend()
    backend.fast_paths = fast
    with backend.shared.searching() as (_searcher, catalog):
        catalog._ranked = BoundedCache(catalog.CACHED_SETS)  # a word's ranking is kept under the same key both ways
    try:
        pages = [search(q=q, size="100", page=str(number), **params) for number in (1, 2, 3)]
    finally:
        backend.fast_paths = True
    first = pages[0]
    return {
        "hits": [(hit.article.pk, hit.score, hit.match) for page in pages for hit in page.hits],
        "count": first.count,
        "matched_all": first.matched_all,
        "facets": {name: [(value.value, value.count) for value in values] for name, values in first.facets.items()},
    }


def assert_same(q: str, **params) -> dict:
    fast, plain = answer(q, True, **params), answer(q, False, **params)
    assert fast == plain, (q, params)
    return fast


def test_phrases_find_what_the_plain_phrase_matcher_finds_in_the_same_order():
    for q in PHRASES:
        assert_same(q)


def test_NOT_as_a_set_subtraction_finds_what_the_plain_matcher_finds_in_the_same_order():
    for q in NOTS:
        assert_same(q)


def test_words_and_their_ands_and_ors_rank_as_whooshs_matchers_rank_them():
    for q in WORDS:
        assert_same(q)
    for params in FILTERS[1:]:
        for q in ("market", "state people", "rice OR grain"):
            assert_same(q, **params)


def test_prefixes_find_what_the_plain_matcher_finds_in_the_same_order():
    for q in PREFIXES:
        assert_same(q)


def test_filters_and_facets_agree_on_both_paths():
    for params in FILTERS:
        for q in ('"may day"', '"state of the"', "market NOT rice", "-the", "NOT zzzabsent", "s*"):
            assert_same(q, **params)


def test_the_corpus_exercises_every_case():
    """The comparisons above are not of empty results: each kind of query finds reports here, and the index holds
    deleted documents (the withdrawn reports), which every path must leave out."""
    for q in ('"may day"', '"state of the"', '"the the"', '"U.S. imperialists"', '"혜산시에서 쌀"', '"쌀 가격이"',
              "market NOT rice", "NOT market", "-the", "s*"):
        assert assert_same(q)["count"], q
    assert assert_same("NOT zzzabsent")["count"] == LIVE
    backend = connections["default"].get_backend()
    with backend.shared.searching() as (searcher, _catalog):
        assert any(leaf.reader().has_deletions() for leaf, _offset in searcher.leaf_searchers())
    assert assert_same("market NOT zzzabsent")["count"] == assert_same("market")["count"]
    assert assert_same("the NOT the")["count"] == 0


def test_with_pairs_of_common_words_only_some_phrases_read_positions():
    """The second corpus exercises the phrases whose pairs the index does not keep."""
    unkept = [pair for pair in (("food", "price"), ("mai", "dai"), ("rice", "grain"), ("혜산", "산시"))
              if not kept_everywhere("text", *pair)]
    assert bool(unkept) == (pairing.COMMON_SHARE > 0), unkept


def kept_everywhere(field: str, first: str, second: str) -> bool:
    """Whether every segment of the index keeps this pair of the field's words (as indexed: stemmed)."""
    backend = connections["default"].get_backend()
    with backend.shared.searching() as (searcher, _catalog):
        segments = [leaf.reader().segment() for leaf, _offset in searcher.leaf_searchers()]
    return all(pairing.keeps_pair(segment, field, first.encode(), second.encode()) for segment in segments)


def test_a_phrase_never_runs_from_the_title_into_the_body():
    """Every seventh title ends with "may" and its body begins with "Day": those reports are found by "may day"
    only where the body or the title says it."""
    rng = random.Random(19)
    records = [report(rng, number) for number in range(REPORTS)]
    across_only = {record["url"] for record in records
                   if record["title"].endswith(" may") and not _says(record, "may day")}
    assert across_only, "the corpus has reports whose only 'may day' runs from the title into the body"
    found = {hit.article.url for hit in search(q='"may day"', size="100").hits}
    found |= {hit.article.url for hit in search(q='"may day"', size="100", page="2").hits}
    assert not across_only & found


def _says(record: dict, phrase: str) -> bool:
    """Whether the title or a paragraph of the body holds the phrase (its words in a row, ignoring case)."""
    return any(phrase in " ".join(part.lower().replace(".", " ").split())
               for part in (record["title"], *record["body"].split("\n\n")))


def test_a_two_word_phrase_reads_no_positions_and_a_longer_one_only_those_of_documents_with_every_pair(monkeypatch):
    read = set()  # (field, segment, document) whose positions the fast path read
    reading = phrases._values_of

    def counted(reader, fieldname, word, candidates):
        read.update((fieldname, id(reader), docnum) for docnum in candidates)
        return reading(reader, fieldname, word, candidates)

    monkeypatch.setattr(phrases, "_values_of", counted)
    assert search(q='"may day"').count
    assert {field for field, _segment, _document in read} == {
        field for field in ("text", "title") if not kept_everywhere(field, "mai", "dai")}
    assert not any(field == "text" for field, _segment, _document in read)

    checked = []  # the plain path: Whoosh's phrase matcher reads the positions of each document with every word
    spans = SpanNear2.SpanNear2Matcher._get_spans
    monkeypatch.setattr(SpanNear2.SpanNear2Matcher, "_get_spans", lambda matcher: checked.append(matcher) or
                        spans(matcher))
    plain = answer('"the state of the market"', False)
    read.clear()
    fast = answer('"the state of the market"', True)
    assert fast == plain and fast["count"]
    assert 0 < len(read) < len(checked)
