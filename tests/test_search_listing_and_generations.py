"""Searching, listing and rebuilding: what the long-lived searcher, the facet bitsets, the date listing and the bulk rebuild with
its atomic swap must keep doing for the archive to be right, not only quick."""

import json
import threading
from collections import Counter

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet

from archive.models import Article
from archive.search import SearchParams, run_search
from archive.search.indexing import wait_for_index
from archive.search.whoosh.catalog import BoundedCache, Catalog
from archive.search.whoosh.generations import POINTER, SharedIndex, current_generation
from tests.search_helpers import REPORTS, counts, indexed, search, write_reports


def backend():
    return connections["default"].get_backend()


def test_a_long_lived_searcher_sees_articles_committed_after_it_opened(ingest, tmp_path):
    ingest(REPORTS)
    assert search(q="maize").count == 0  # the shared searcher is open now
    ingest(write_reports(tmp_path / "new.jsonl", 3))
    assert search(q="maize").count == 3
    assert counts(search(q="maize"), "source") == {"daily-nk": 2, "nk-news": 1}


def test_the_empty_query_lists_newest_first_and_undated_last(ingest):
    ingest(REPORTS)
    for query in ({}, {"source": "daily-nk"}, {"region": "ryanggang"}):
        page = run_search(SearchParams.from_query({**query, "size": "50"}))
        dates = [hit.article.published for hit in page.hits]
        dated = [d for d in dates if d is not None]
        assert dated == sorted(dated, reverse=True)
        assert dates == dated + [None] * (len(dates) - len(dated))
        assert len(dates) == page.count


def test_oldest_first_also_lists_undated_last(ingest):
    ingest(REPORTS)
    page = run_search(SearchParams.from_query({"sort": "oldest", "size": "50"}))
    dates = [hit.article.published for hit in page.hits]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated) and dates[len(dated):] == [None] * (len(dates) - len(dated)) and dates[-1] is None


def test_a_deep_page_of_the_empty_query_continues_the_order(ingest):
    ingest(REPORTS)
    everything = [hit.article.pk for hit in run_search(SearchParams.from_query({"size": "50"})).hits]
    second = [hit.article.pk for hit in run_search(SearchParams.from_query({"size": "5", "page": "2"})).hits]
    assert second == everything[5:10]


def test_suggestions_come_only_with_weak_queries(ingest):
    ingest(REPORTS)
    assert search(q="smugling").suggestion == "smuggling"
    assert search(q="smuggling").suggestion == ""
    assert search(q="border").suggestion == ""


FACET_QUERIES = [
    {},
    {"q": "border"},
    {"q": "smuggling"},
    {"source": "daily-nk"},
    {"q": "border", "year": "2019"},
    {"region": "ryanggang", "author": "lee-min"},
    {"source": ["daily-nk", "nk-news"], "year": "undated"},
    {"q": "market OR rice", "source": "nk-news"},
]


@pytest.mark.parametrize("query", FACET_QUERIES, ids=lambda q: json.dumps(q))
def test_facet_counts_equal_a_count_over_the_database(ingest, query):
    """Each facet's counts are those of the search without that facet's own filter (disjunctive), counted here
    row by row over the database articles the search lists."""
    ingest(REPORTS)
    page = run_search(SearchParams.from_query({**query, "size": "100"}))
    for facet in ("source", "region", "year", "author"):
        without_own = {key: value for key, value in query.items() if key != facet}
        listed = run_search(SearchParams.from_query({**without_own, "size": "100"}))
        assert len(listed.hits) == listed.count
        expected = Counter()
        for hit in listed.hits:
            expected.update(_facet_values(hit.article, facet))
        chosen = query.get(facet, [])
        chosen = [chosen] if isinstance(chosen, str) else chosen
        assert {v.value: v.count for v in page.facets[facet] if v.count} == dict(expected), facet
        assert all(value in counts(page, facet) for value in chosen)


def _facet_values(article: Article, facet: str) -> list[str]:
    if facet == "source":
        return [article.source.slug] if article.source else []
    if facet == "region":
        return [region.slug for region in article.regions.all()]
    if facet == "year":
        return [str(article.published.year) if article.published else "undated"]
    return [article.author_slug] if article.author_slug else []


def test_the_month_histogram_counts_each_month_of_the_chosen_year(ingest):
    ingest(REPORTS)
    page = search(year="2019")
    by_month = Counter(a.published.month for a in Article.objects.filter(published__year=2019))
    assert {m.value: m.count for m in page.months} == {f"2019-{n:02d}": by_month.get(n, 0) for n in range(1, 13)}


def test_rebuild_swaps_in_a_new_generation_and_removes_the_old(ingest):
    ingest(REPORTS)
    call_command("rebuild_index", interactive=False, verbosity=0)
    root = backend().path
    first, generation = current_generation(root)
    assert generation and indexed() == Article.objects.count() == 18
    call_command("update_index", verbosity=0)
    second, newer = current_generation(root)
    assert newer != generation
    import os

    assert sorted(os.listdir(root)) == sorted([POINTER, newer])
    assert search(q="smuggling").count == search(q="smuggling", size="50").count > 0


def test_a_search_during_a_rebuild_always_sees_the_whole_index(ingest, tmp_path):
    ingest(write_reports(tmp_path / "many.jsonl", 400))
    total = Article.objects.count()
    seen, errors, done = [], [], threading.Event()

    def search_in_a_loop():
        while not done.is_set():
            try:
                seen.append(SearchQuerySet().models(Article).count())
            except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
                errors.append(exc)

    searcher = threading.Thread(target=search_in_a_loop)
    searcher.start()
    try:
        for _ in range(2):
            call_command("rebuild_index", interactive=False, verbosity=0)
    finally:
        done.set()
        searcher.join()
    assert not errors
    assert len(seen) > 5 and set(seen) == {total}


def test_a_reader_in_another_process_reopens_the_swapped_generation(ingest, tmp_path):
    ingest(REPORTS)
    own = backend()
    other = SharedIndex(own.shared.root, own.schema)  # what another worker process holds
    with other.searching() as (searcher, catalog):
        assert catalog.live.bit_count() == 18
    call_command("rebuild_index", interactive=False, verbosity=0)
    ingest(write_reports(tmp_path / "more.jsonl", 4))
    with other.searching() as (searcher, catalog):
        assert other.generation == current_generation(own.shared.root)[1]
        assert catalog.live.bit_count() == searcher.doc_count() == 22


def test_updates_after_a_rebuild_go_into_the_new_generation(ingest, tmp_path):
    ingest(REPORTS)
    call_command("rebuild_index", interactive=False, verbosity=0)
    ingest(write_reports(tmp_path / "later.jsonl", 2))
    wait_for_index()
    assert indexed() == 20
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert indexed() == 20 and search(q="maize").count == 2


def write_phrase_reports(path, count: int):
    """Reports holding "border guards" as a phrase 0-4 times, the two words apart in some, "border" alone in others:
    varied scores."""
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            phrase = " ".join(["The border guards took bribes."] * (number % 5))
            apart = ["Soldiers stood at the border.", "Guards waited; the border was closed.", ""][number % 3]
            record = {"title": f"Report {number} from Hyesan", "source": ["Daily NK", "NK News"][number % 2],
                      "body": f"{phrase} {apart} Traders sold rice at the market number {number}.",
                      "date": f"{2000 + number % 20}-{number % 12 + 1:02d}-01"}
            out.write(json.dumps(record) + "\n")
    return path


@pytest.mark.parametrize("kept", [1000, 5])  # 5: the kept ranking is too short for the page, which is ranked again
@pytest.mark.parametrize("q", ['"border guards"', "border NOT guards", '"border guards" NOT closed'])
def test_phrase_and_not_queries_rank_and_count_as_whoosh_itself_does(ingest, tmp_path, monkeypatch, kept, q):
    """Phrases and NOT are matched and ranked in one pass (whoosh would read every candidate twice): the order, the
    count and the filtered order must be Whoosh's own."""
    monkeypatch.setattr(Catalog, "RANKED_KEPT", kept)
    ingest(write_phrase_reports(tmp_path / "phrases.jsonl", 120))
    own = backend()
    with own.shared.searching() as (searcher, _catalog):
        expected = [int(hit["django_id"]) for hit in searcher.search(own.parser.parse(q), limit=None)]
    assert expected, "the query must match something"
    daily_nk = set(Article.objects.filter(source__slug="daily-nk").values_list("pk", flat=True))
    for page in ("1", "2"):
        found = search(q=q, size="20", page=page)
        start = (int(page) - 1) * 20
        assert found.count == len(expected)
        assert [hit.article.pk for hit in found.hits] == expected[start:start + 20]
        filtered = search(q=q, source="daily-nk", size="20", page=page)
        within = [pk for pk in expected if pk in daily_nk]
        assert [hit.article.pk for hit in filtered.hits] == within[start:start + 20]


def test_the_rankings_kept_for_phrases_stay_within_the_cache_bound(ingest, tmp_path, monkeypatch):
    monkeypatch.setattr(Catalog, "CACHED_SETS", 3)
    ingest(write_phrase_reports(tmp_path / "phrases.jsonl", 30))
    for number in range(6):
        search(q=f'"border guards" OR report{number}')
    with backend().shared.searching() as (_searcher, catalog):
        assert len(catalog._ranked) <= 3


def test_the_catalog_caches_drop_the_least_recently_used_first():
    cache = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
