"""A name's spellings rank as one term: a report is not ranked higher for using the rarer spelling.

The corpus spells the province Ryanggang (the North's spelling) in most reports and Yanggang (the South's) in one.
Searched as an OR of spellings, BM25 gave each its own IDF, so the one Yanggang report outranked a Ryanggang report
that was the same in every other way. Two such reports, the same length and naming the province as often, rank
equal whichever spelling is typed; a report naming it twice (in two spellings or in one) outranks one naming it once.
"""

import json

import pytest
from haystack.query import SearchQuerySet

from archive.models import Article
from archive.search.query import read_query
from tests.search_helpers import search

RARE = "Grain prices in Yanggang"  # the only report spelling it Yanggang
COMMON = "Grain prices in Ryanggang"
TWICE_IN_TWO_SPELLINGS = "Border guards of Ryanggang"
TWICE_IN_ONE_SPELLING = "Border troops of Ryanggang"
REPORTS = [
    (RARE, "Traders in Yanggang said the price of maize rose this week."),
    (COMMON, "Traders in Ryanggang said the price of maize rose this week."),
    (TWICE_IN_TWO_SPELLINGS, "Guards in Ryanggang were moved, and those in Yanggang were paid."),
    (TWICE_IN_ONE_SPELLING, "Troops in Ryanggang were moved, and those in Ryanggang were paid."),
    *[(f"Ryanggang notes {n}", f"Officials in Ryanggang held meeting number {n} about the harvest.")
      for n in range(8)],
    ("량강도 소식", "량강도에서 장마당 쌀값이 올랐다."),
    ("Market report", "Rice prices were stable in the capital."),
]


@pytest.fixture(autouse=True)
def corpus(ingest, tmp_path):
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"title": title, "body": body, "url": f"https://example.org/r/{n}"},
                                         ensure_ascii=False) for n, (title, body) in enumerate(REPORTS)),
                    encoding="utf-8")
    ingest(path)


def scores(q: str, **params) -> dict[str, float]:
    return {hit.article.title: hit.score for hit in search(q=q, size="100", **params).hits}


def test_the_corpus_spells_the_province_ryanggang_far_more_often():
    ryanggang = SearchQuerySet().models(Article).filter(content='"Ryanggang"').count()
    assert ryanggang >= 10
    assert "Yanggang" not in (scores("Ryanggang", exact="1"))  # exact: the common spelling alone
    assert set(scores("Yanggang", exact="1")) == {RARE, TWICE_IN_TWO_SPELLINGS}


@pytest.mark.parametrize("q", ["Yanggang", "Ryanggang", "량강도", "yanggang-do"])
def test_the_rare_and_the_common_spelling_rank_equal_whichever_is_typed(q):
    found = scores(q)
    assert found[RARE] > 0
    assert found[RARE] == pytest.approx(found[COMMON], rel=1e-9)


@pytest.mark.parametrize("q", ["Yanggang", "Ryanggang"])
def test_two_spellings_in_a_report_count_as_the_name_twice(q):
    found = scores(q)
    assert found[TWICE_IN_TWO_SPELLINGS] == pytest.approx(found[TWICE_IN_ONE_SPELLING], rel=1e-9)
    assert found[TWICE_IN_ONE_SPELLING] > found[COMMON]


def test_the_expansion_still_finds_every_spelling():
    assert set(scores("Yanggang")) == {title for title, _ in REPORTS} - {"Market report"}


def test_with_exact_spelling_each_spelling_is_its_own_term_again():
    """``exact=1`` searches the one spelling typed: the switch is unchanged."""
    assert set(scores("Ryanggang", exact="1")) == {title for title, _ in REPORTS} - {RARE, "Market report",
                                                                                     "량강도 소식"}


def test_any_other_engine_is_given_the_spellings_as_an_or_of_exact_phrases():
    """The input's generic form, for haystack engines that cannot score spellings as one term."""
    from haystack.backends.simple_backend import SimpleSearchQuery

    prepared = _any_spelling(read_query("Kim Jong Un").sq).prepare(SimpleSearchQuery())
    assert prepared.startswith("(") and prepared.endswith(")")
    assert {'"Kim Jong Un"', '"Kim Jongun"', '"김정은"'} <= set(prepared[1:-1].split(" OR "))


def _any_spelling(sq):
    """The AnySpelling input inside a query's SQ tree."""
    for child in sq.children:
        if isinstance(child, tuple):
            if getattr(child[1], "input_type_name", "") == "any_spelling":
                return child[1]
        elif (found := _any_spelling(child)) is not None:
            return found
    return None
