"""What the timeline and the map cost a search: the search page rendered with and without them, same data.

    .venv/bin/python bench/visual.py [--articles 5000] [--repeat 5]

Generates the corpus of ``make bench`` (``bench/corpus.py``) in a temporary ARCHIVE_DATA_DIR, ingests it through the
real pipeline, and for each query of the bench's mix (``bench/queries.py``: 240 queries, ten kinds, every one with
all facets) plus 24 short date ranges (the timeline by month) runs ``run_search`` once, then times, on that same
SearchPage, what the search view does after the search: its links and ``search.html`` rendered

- without the new parts (the context the page had before them: no timeline, no map), and
- with them (``timeline(page)`` and ``search_map(...)`` computed, and their includes rendered),

each the median of ``--repeat`` runs. It prints the p50 and p95 over the queries of both, of the difference per
query, and of the whole page (the search's own median time added to each), with the ratio. The budget: the
timeline and the map add at most 10 ms to a search's p50.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate, load_stats, reports_dir  # noqa: E402
from queries import build_mix  # noqa: E402
from scratch import in_scratch_archive, set_up_django  # noqa: E402

BUDGET_MS = 10.0
RANGES = 24  # extra queries with a date range of a few months: the timeline drawn by month


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5_000, help="corpus size (default 5,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and variant; the median is kept")
    args = parser.parse_args()
    in_scratch_archive("visual", measure, args)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)
    from django.contrib.auth.models import AnonymousUser
    from django.shortcuts import render
    from django.test import RequestFactory

    from archive.ingest import ingest_paths
    from archive.search import SearchParams, run_search
    from archive.search.engine import indexed_count
    from archive.search.indexing import wait_for_index
    from archive.views.province_map import search_map
    from archive.views.search_links import search_links
    from archive.views.timeline import timeline

    corpus = Path(data_dir) / "corpus"
    generate(corpus, args.articles)
    started = time.perf_counter()
    list(ingest_paths([reports_dir(corpus)]))
    wait_for_index()
    print(f"ingested and indexed {indexed_count()} reports in {time.perf_counter() - started:.0f} s")

    mix = [dict(query.archive_params) for query in build_mix(load_stats(corpus))]
    years = sorted(y for y in load_stats(corpus)["year_counts"] if y != "undated")
    mix += [{"from": f"{years[-1 - i % len(years)]}-{1 + i % 9:02d}", "to": f"{years[-1 - i % len(years)]}-12"}
            for i in range(RANGES)]
    request = RequestFactory().get("/search/")
    request.user = AnonymousUser()

    def page_without(page, params):
        return render(request, "search.html", {"page": page, "params": params, "links": search_links(page)})

    def page_with(page, params):
        return render(request, "search.html", {"page": page, "params": params, "links": search_links(page),
                                               "timeline": timeline(page),
                                               "map": search_map(page.facets.get("region", []), params)})

    searched, without, with_parts, sizes = [], [], [], []
    for query in mix:
        params = SearchParams.from_query({name: [value] for name, value in query.items()})
        page = run_search(params)  # warms the searcher and the caches
        searched.append(median_ms(lambda params=params: run_search(params), args.repeat))
        page_without(page, params), page_with(page, params)  # noqa: B018 - warm the template cache
        without.append(median_ms(lambda page=page, params=params: page_without(page, params), args.repeat))
        with_parts.append(median_ms(lambda page=page, params=params: page_with(page, params), args.repeat))
        sizes.append(len(page_with(page, params).content) - len(page_without(page, params).content))

    added = [w - b for w, b in zip(with_parts, without, strict=True)]
    whole_without = [s + b for s, b in zip(searched, without, strict=True)]
    whole_with = [s + w for s, w in zip(searched, with_parts, strict=True)]
    print(f"\n{len(mix)} queries ({len(mix) - RANGES} of make bench's mix, {RANGES} short date ranges), "
          f"{args.articles:,} reports, median of {args.repeat} runs each")
    print(f"{'':44} {'p50':>9} {'p95':>9}")
    rows = [
        ("run_search", searched),
        ("links + search.html, without timeline and map", without),
        ("links + search.html, with timeline and map", with_parts),
        ("added by the timeline and the map", added),
        ("whole page without (search + render)", whole_without),
        ("whole page with (search + render)", whole_with),
    ]
    for name, values in rows:
        print(f"{name:44} {percentile(values, 50):>7.2f}ms {percentile(values, 95):>7.2f}ms")
    p50_added = percentile(whole_with, 50) - percentile(whole_without, 50)
    ratio = percentile(whole_with, 50) / percentile(whole_without, 50)
    print(f"\nthe page's p50 grows by {p50_added:.2f} ms ({ratio:.2f}x); per query, the median addition is "
          f"{percentile(added, 50):.2f} ms; budget {BUDGET_MS:.0f} ms: {'met' if p50_added <= BUDGET_MS else 'MISSED'}")
    print(f"HTML added per page: {percentile(sizes, 50) / 1024:.1f} KB (p50)")


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
