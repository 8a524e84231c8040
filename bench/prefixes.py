"""What prefix queries cost: ``s*``, ``a*`` and 4-letter prefixes through run_search, as the search page runs them.

    .venv/bin/python bench/prefixes.py [--articles 20000] [--repeat 5] [--data-dir DIR]

Generates the corpus of ``make bench`` (``bench/corpus.py``) in a temporary ARCHIVE_DATA_DIR and ingests it through
the real pipeline, then times each prefix query (first run, and the median of ``--repeat`` runs of a different page
so the catalog's kept rankings do not answer it) and prints how each was read. ``--data-dir`` keeps the ingested
archive in DIR and reuses it on the next run, so figures before and after a change are taken on the same index.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scratch import in_scratch_archive, ingested_corpus, set_up_django  # noqa: E402

QUERIES = ("s*", "a*", "smug*", "bord*", "pric*", "market s*")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="corpus size (default 20,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query; the median is shown")
    parser.add_argument("--data-dir", type=Path, help="keep the archive here and reuse it when it exists")
    args = parser.parse_args()

    in_scratch_archive("prefixes", measure, args, keep=args.data_dir)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)

    from archive.search.engine import indexed_count

    ingested_corpus(data_dir, args.articles)
    print(f"{indexed_count()} articles")
    run_queries(args.repeat)


def run_queries(repeat: int) -> None:
    from archive.search import SearchParams, run_search

    print(f"\n{'query':14} {'matches':>8} {'first':>9} {'median':>9}  reading")
    for query in QUERIES:
        started = time.perf_counter()
        page = run_search(SearchParams.from_query({"q": query}))
        first = (time.perf_counter() - started) * 1000
        times = []
        for run in range(repeat):
            started = time.perf_counter()
            run_search(SearchParams.from_query({"q": query, "page": str(run + 2)}))
            times.append((time.perf_counter() - started) * 1000)
        print(f"{query:14} {page.count:>8} {first:>7.0f}ms {statistics.median(times):>7.0f}ms  {page.reading}")


if __name__ == "__main__":
    main()
