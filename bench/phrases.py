"""What phrases, NOT and prefixes cost: the ``make bench`` mix's phrase and ``NOT`` queries and the prefix queries
of ``bench/prefixes.py``, through run_search with all facets, as the search page runs them.

    .venv/bin/python bench/phrases.py [--articles 20000] [--repeat 3] [--data-dir DIR]

Same scratch archive as ``bench/prefixes.py`` (``--data-dir`` keeps it and reuses it, so figures before and after a
change come from the same reports; an index built by an older analysis is rebuilt first, and that rebuild is timed).
Each query runs once on a fresh page of its search (the catalog's kept rankings and sets are cleared before every
run, so every run pays for matching, ranking and facets), ``--repeat`` times; p50 and p95 are over all runs of a kind.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import load_stats  # noqa: E402
from prefixes import QUERIES as PREFIXES  # noqa: E402
from queries import build_mix  # noqa: E402
from scratch import in_scratch_archive, ingested_corpus, set_up_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="corpus size (default 20,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query")
    parser.add_argument("--data-dir", type=Path, help="keep the archive here and reuse it when it exists")
    args = parser.parse_args()
    in_scratch_archive("phrases", measure, args, keep=args.data_dir)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)
    from django.core.management import call_command

    from archive.search.engine import indexed_count

    corpus = ingested_corpus(data_dir, args.articles)
    started = time.perf_counter()
    call_command("ensure_index", verbosity=0)
    print(f"ensure_index (a rebuild if the analysis changed): {time.perf_counter() - started:.1f} s")
    print(f"{indexed_count()} articles; index on disk {_size(Path(data_dir)) / 1e6:.1f} MB")
    mix = build_mix(load_stats(corpus))
    kinds = {
        "phrase": [dict(query.archive) for query in mix if query.category == "phrase"],
        "NOT": [dict(query.archive) for query in mix if query.category == "NOT"],
        "prefix": [{"q": query} for query in PREFIXES],
    }
    for kind, queries in kinds.items():
        run_queries(kind, queries, args.repeat)


def run_queries(kind: str, queries: list[dict], repeat: int) -> None:
    from archive.search import SearchParams, run_search

    times, slowest = [], (0.0, "")
    for run in range(repeat):
        for params in queries:
            forget_kept_searches()
            started = time.perf_counter()
            page = run_search(SearchParams.from_query({**params, "page": str(run + 1)}))
            took = (time.perf_counter() - started) * 1000
            times.append(took)
            slowest = max(slowest, (took, f"{params['q']} ({page.count})"))
    cuts = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
    print(f"{kind:7} {len(queries):3} queries x {repeat}: p50 {statistics.median(times):7.1f} ms  "
          f"p95 {cuts[18]:7.1f} ms  slowest {slowest[0]:.0f} ms: {slowest[1]}")


def forget_kept_searches() -> None:
    """The catalog's kept sets and rankings of earlier searches dropped (its facet sets and term lists stay, as in a
    serving process), so each timed run matches, ranks and counts its query afresh."""
    from haystack import connections

    from archive.search.whoosh.catalog import BoundedCache

    with connections["default"].get_backend().shared.searching() as (_searcher, catalog):
        catalog._sets, catalog._ranked = BoundedCache(catalog.CACHED_SETS), BoundedCache(catalog.CACHED_SETS)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in (folder / "whoosh").rglob("*") if path.is_file())


if __name__ == "__main__":
    main()
