"""``serving.py``'s two query mixes in one process, on an archive built once and kept: where the time of each kind of
query goes at a size that takes long to ingest (20,000 reports and more), without gunicorn or a second ingest.

    .venv/bin/python bench/mixes.py --data-dir DIR [--articles 20000]

``DIR`` is kept: the first run generates the corpus there and ingests it (``scratch.ingested_corpus``, as
``phrases.py`` and ``prefixes.py`` do), later runs reuse it. Each query runs once, through Django's test client with
debug off, as ``serving.py`` sends it (the API, or an article page opened from a search with its trail); prints p50
and p95 per class and per mix, and the pauses of the cycle collector's full collections in each mix (the process
first freezes what it loaded, as a server process does, ``archive.http.startup``; ``--unfrozen`` leaves it out). Not
the HTTP figures of the targets: one process, no network, no other workers.
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import serving  # noqa: E402
from scratch import in_scratch_archive, ingested_corpus, set_up_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the archive's folder: built if missing, kept")
    parser.add_argument("--articles", type=int, default=20_000, help="corpus size when it is built (default 20,000)")
    parser.add_argument("--unfrozen", action="store_true", help="do not freeze what the process loaded at start")
    args = parser.parse_args()
    os.environ.update(ARCHIVE_DEBUG="false", ARCHIVE_ALLOWED_HOSTS="testserver")
    in_scratch_archive("mixes", measure, args, keep=args.data_dir)


def measure(data_dir: str, args: argparse.Namespace) -> None:
    set_up_django(data_dir)
    stats = corpus.load_stats(ingested_corpus(data_dir, args.articles))
    from django.test import Client

    client = Client()
    if not args.unfrozen:
        from archive.http.startup import freeze_loaded_objects

        freeze_loaded_objects()
    pauses = _full_collections()
    for number, mix in enumerate(serving.build_mixes(stats), 1):
        pauses.clear()
        ms = {name: [] for name in serving.CLASSES}
        for query in mix:
            url = _url(client, query)
            ms[query.category].append(_timed(client, url))
            if query.category == "article with trail":  # then what the page's script fetches
                ms["its related reports"].append(_timed(client, serving.related_path(url)))
        print(f"mix {number}")
        everything = [t for kind in ms.values() for t in kind]
        for name, times in [*ms.items(), ("whole mix", everything)]:
            print(f"  {name:20} p50 {statistics.median(times):7.1f}  p95 {statistics.quantiles(times, n=20)[18]:7.1f}")
        print(f"  cycle collector: {len(pauses)} full collections, longest {max(pauses, default=0):.1f} ms, "
              f"{sum(pauses):.1f} ms in all")


def _full_collections() -> list[float]:
    """The milliseconds of each full collection of the cycle collector from now on (a list it appends to)."""
    pauses, started = [], [0.0]

    def timed(phase, info):
        if info["generation"] == 2:
            if phase == "start":
                started[0] = time.perf_counter()
            else:
                pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timed)
    return pauses


def _timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return (time.perf_counter() - started) * 1000


def _url(client, query) -> str:
    """The API's URL of a search, or an article's opened from one (its link carries the search, for the trail)."""
    search = f"/api/search/?{urlencode(query.archive)}"
    if query.category != "article with trail":
        return search
    results = json.loads(client.get(search).content)["results"]
    hit = results[min(query.trail_rank, len(results) - 1)]
    return f"{urlparse(hit['url']).path}?{urlencode({'from_search': urlencode(query.archive)})}"


if __name__ == "__main__":
    main()
