"""Every cache a query can grow has a bound (issue 19: a worker's memory must stay put however long it serves): a
long mix of different queries leaves each at or under its bound."""

import re

import pytest

from archive.models import Article
from archive.search import SearchParams, engine, run_search
from archive.search.whoosh import catalog, generations
from tests.conftest import SEEDS


@pytest.fixture
def small_bounds(monkeypatch):
    """Bounds small enough for the seeds' words to pass them."""
    monkeypatch.setattr(catalog.Catalog, "CACHED_SETS", 8)
    monkeypatch.setattr(catalog.Catalog, "SCORES_KEPT", 40)  # postings: a few of the seeds' words
    monkeypatch.setattr(generations, "IDF_TERMS", 20)


def test_a_long_varied_query_mix_keeps_every_cache_within_its_bound(ingest, search_index, small_bounds):
    ingest(SEEDS)
    words = sorted({word.lower() for article in Article.objects.all()
                    for word in re.findall(r"[A-Za-z]{4,}", article.body_text)})
    assert len(words) > 100
    queries = []
    for n, word in enumerate(words):
        following = words[(n + 1) % len(words)]
        queries += [word, f"{word} {following}", f'"{word} {following}"', f"{word} NOT {following}", f"{word[:3]}*"]
    for q in queries:
        run_search(SearchParams(q=q))

    sizes = engine.cache_sizes()
    assert {"catalog: matches of a query", "catalog: rankings of a query", "catalog: words of a prefix",
            "catalog: scores of a word's postings",
            "searcher: IDF of each term (Whoosh)", "analysis: term of a word", "highlight: terms of a word",
            "matches: pattern of a name", "segment data: facet sets, months, date orders",
            "gazetteer: rows of places and people"} <= set(sizes)
    over = {name: size for name, size in sizes.items() if size[0] > size[1]}
    assert not over
    assert sizes["catalog: matches of a query"] == (8, 8)  # the mix filled it: the bound, not the mix, stopped it
    assert 30 < sizes["catalog: scores of a word's postings"][0] <= 40
    assert 0 < sizes["searcher: IDF of each term (Whoosh)"][0] <= 21
