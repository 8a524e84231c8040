"""What facets cost: run_search with and without facet counting at 20,000 articles, in the same run.

    .venv/bin/python bench/facets.py [--articles 20000] [--repeat 7]

Generates the corpus of ``make bench`` (``bench/corpus.py``: Zipfian vocabulary, 8 sources, gazetteer regions
named in the text, authors, twenty years with some undated reports) in a temporary ARCHIVE_DATA_DIR, ingests it
through the real pipeline, then times each query as the page runs it (``run_search``: page, counts, four facets, months)
against the same search without facet requests (page and count only), and prints the medians and their ratio.
"""

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate, load_stats, reports_dir  # noqa: E402
from queries import pick_bands  # noqa: E402
from scratch import in_scratch_archive, set_up_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="corpus size (default 20,000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query; the median is shown")
    args = parser.parse_args()

    in_scratch_archive("facets", measure, args)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)

    generate(Path(data_dir) / "corpus", args.articles)
    reports = reports_dir(Path(data_dir) / "corpus")
    rare = pick_bands(load_stats(Path(data_dir) / "corpus")).rare[0]

    from archive.ingest import ingest_paths
    from archive.search.engine import indexed_count
    from archive.search.indexing import wait_for_index

    started = time.perf_counter()
    outcomes = list(ingest_paths([reports]))
    wait_for_index()
    print(f"ingested and indexed {indexed_count()} articles in {time.perf_counter() - started:.0f} s "
          f"({len(outcomes)} files)")
    run_queries(args.repeat, rare)


def run_queries(repeat: int, rare: str) -> None:
    from haystack.query import SearchQuerySet

    from archive.models import Article
    from archive.search import SearchParams, run_search
    from archive.search import facets as facet_module
    from archive.search.query import read_query

    def without_facets(params):
        """The page's search alone: the query, filters, sort, snippets, page and count; no facet requested."""
        reading = read_query(params.q)
        sqs = SearchQuerySet().models(Article)
        if params.effective_sort != "relevance":
            sqs = sqs.order_by("-published")
        if reading.sq is not None:
            sqs = sqs.filter(reading.sq)
        sqs = facet_module.narrowed(sqs, params).highlight()
        list(sqs[0:params.page_size])
        return sqs.count()

    queries = {
        "everything (no q)": {},
        "broad: market": {"q": "market"},
        "broad + source chosen": {"q": "market", "source": "daily-nk"},
        "broad + source + year": {"q": "border", "source": "daily-nk", "year": "2019"},
        "medium: two words AND": {"q": "market border"},
        "narrow: rare word": {"q": rare},
        "narrow + source chosen": {"q": rare, "source": "nk-news"},
    }
    print(f"\n{'query':28} {'matches':>8} {'no facets':>10} {'facets':>10} {'ratio':>6}")
    for name, query in queries.items():
        params = SearchParams.from_query(query)
        matches = without_facets(params)
        run_search(params)  # warm the searcher and the caches of both paths
        base = median_ms(partial(without_facets, params), repeat)
        faceted = median_ms(partial(run_search, params), repeat)
        print(f"{name:28} {matches:>8} {base:>8.1f}ms {faceted:>8.1f}ms {faceted / base:>5.1f}x")


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
