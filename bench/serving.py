"""``bench/serving.py``: the archive as it lives, an ingest running while the production server answers, then two
mixes of the queries analysts rely on for precision, with each worker's memory after each step; beside SQLite FTS5.

Why this shape (issue 19): figures taken with nothing else running hid two costs of a serving archive. The server's
queue sweep indexed an ingest's backlog inside a web worker (673 MB resident after it, and ingest fell to 140-169
reports/s), and the costly kinds of query (phrases and NOT of common words, prefixes, an article opened from a
search) were a small part of the mix. So here, in a temporary folder (removed at the end, also on failure):

1. ``BENCH_N`` reports are generated (``corpus.py``; ``--corpus DIR`` keeps and reuses them) and the archive is
   migrated, its index made empty, and gunicorn started (``archive.wsgi:application``, 4 workers, debug off).
2. ``manage.py ingest`` of every report runs **from outside while the server serves** (a search every half second
   meanwhile), timed until ``/healthz`` says the index holds them all: reports/s with indexing. Then each worker's
   memory (``/proc/<pid>/smaps_rollup``: Rss, and Private_Clean + Private_Dirty).
3. The FTS5 baseline (``fts5.py``) is built from the same files and served.
4. Mix 1: 120 queries, 20 in each class: two common words, a phrase of common words, a common word NOT another, a
   4-letter prefix, an article page opened from a search (its link carries the search: previous and next are
   found, the words marked; the archive only) and then its related reports (their own page, which the article
   page's script fetches), the empty query newest first (with a filter for half). Sequential,
   alternating archive (``/api/search/``, or the article page) and FTS5 query by query; no warm-up pass: the
   workers meet the mix as they would after a restart. Memory again.
5. Mix 2, once no segments wait to be merged: 120 other queries of the same classes (other words, phrases,
   prefixes and articles). Memory again.

Prints p50 and p95 per class and for each whole mix (archive, FTS5, ratio), reports/s, the memory table, and the
index's segments after each step. The ingest's segments are merged by tiers once it is over (``drain_index``): mix 1
meets that merge, as analysts would after a large ingest; mix 2 waits until ``/healthz`` says none waits.

    .venv/bin/python bench/serving.py --n 2000 [--repo ../other-checkout] [--corpus /tmp/corpus-2000] [--keep]

``--repo`` measures another checkout of the archive with this script (figures before and after a change, on the
same corpus). Exit status 0 when it measured, 1 when it could not.
"""

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import fts5  # noqa: E402
import run  # noqa: E402
from queries import PER_CATEGORY, _quoted, _slug, pick_bands  # noqa: E402

PER_CLASS = 20
CLASSES = ("two common words", "phrase", "NOT", "prefix", "article with trail", "its related reports",
           "empty, newest")
TRICKLE_SECONDS = 0.5  # a search this often while the ingest runs: the server is serving, not idle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N") or 2000),
                        help="reports in the corpus (default: BENCH_N, else 2,000)")
    parser.add_argument("--repo", type=Path, default=run.ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--corpus", type=Path, help="keep the generated corpus here and reuse it on the next run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args()
    if args.n < 200:
        parser.error("--n must be at least 200")
    run.ROOT = args.repo.resolve()  # where run.py's helpers start manage.py and gunicorn

    result = run.in_work_folder("archive-serving-", args.keep,
                                lambda work, processes: measure(args.n, work, processes, args.corpus))
    if result is None:
        return 1
    print_report(args.n, result)
    return 0


def measure(n: int, work: Path, processes: run.Processes, keep_corpus: Path | None) -> dict:
    data = work / "data"
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data), "ARCHIVE_DEBUG": "false",
           "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1", "ARCHIVE_HTTPS": "false", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    generated = ready_corpus(keep_corpus or work / "corpus", n)
    reports, stats = corpus.reports_dir(generated), corpus.load_stats(generated)
    mixes = build_mixes(stats)

    run.manage(["migrate", "--noinput"], env, work, timeout=300)
    run.manage(["ensure_index"], env, work, timeout=300)
    port = run.free_port()
    gunicorn = processes.start(
        [sys.executable, "-m", "gunicorn", "archive.wsgi:application", "--workers", str(run.WORKERS), "--bind",
         f"127.0.0.1:{port}", "--timeout", str(run.REQUEST_TIMEOUT), "--log-level", "warning"],
        work / "gunicorn.log", env)
    url = f"http://127.0.0.1:{port}"
    run.wait_for_http(f"{url}/healthz", gunicorn)

    run.step(f"archive: manage.py ingest of {n:,} reports while gunicorn ({run.WORKERS} workers) serves")
    ingest_seconds = ingest_while_serving(url, reports, env, work, n)
    memory = {"after the ingest": worker_memory(gunicorn.pid)}
    segments = {"after the ingest": index_segments(url)}
    run.step(f"  {ingest_seconds:.1f} s, {n / ingest_seconds:.0f} reports/s")

    run.step("baseline: SQLite FTS5 build and server")
    db = work / "fts5.sqlite3"
    started = time.perf_counter()
    if fts5.build(db, reports) != n:
        raise run.BenchError("the baseline does not hold every report")
    fts5_rate = n / (time.perf_counter() - started)
    baseline_port = run.free_port()
    baseline = processes.start([sys.executable, str(BENCH / "fts5.py"), "serve", str(db), str(baseline_port)],
                               work / "fts5-server.log", env)
    baseline_url = f"http://127.0.0.1:{baseline_port}"
    run.wait_for_http(f"{baseline_url}/healthz", baseline)

    timings = []
    for number, mix in enumerate(mixes, 1):
        if number == 2:
            wait_for_merges(url, n)
        run.step(f"mix {number}: {len(mix)} queries, archive and FTS5 alternating")
        timings.append(time_mix(mix, url, baseline_url))
        memory[f"after mix {number}"] = worker_memory(gunicorn.pid)
        segments[f"after mix {number}"] = index_segments(url)
    return {"ingest": n / ingest_seconds, "fts5_ingest": fts5_rate, "timings": timings, "memory": memory,
            "segments": segments, "commit": run.git_commit(), "machine": run.machine()}


def wait_for_merges(url: str, n: int) -> None:
    """Until ``/healthz`` says no segments wait to be merged (the ingest's, merged by tiers beside mix 1)."""
    started, deadline = time.perf_counter(), time.monotonic() + 600 + n * 0.02
    while json.loads(run.get(f"{url}/healthz")).get("merge_due"):
        if time.monotonic() > deadline:
            raise run.BenchError("segments still wait to be merged")
        time.sleep(1.0)
    run.step(f"  merges done {time.perf_counter() - started:.0f} s after mix 1")


def index_segments(url: str) -> int | None:
    """The index's segments now (``/healthz``; merged by tiers once the ingest is over), None where not reported."""
    return json.loads(run.get(f"{url}/healthz")).get("segments")


def ready_corpus(folder: Path, n: int) -> Path:
    """The generated corpus of ``n`` reports in ``folder``: reused when it is there, else written."""
    try:
        if corpus.load_stats(folder)["count"] == n:
            run.step(f"reusing the corpus of {n:,} reports in {folder}")
            return folder
    except (FileNotFoundError, KeyError, ValueError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    run.step(f"generating {n:,} reports")
    corpus.generate(folder, n)
    return folder


def ingest_while_serving(url: str, reports: Path, env: dict, work: Path, n: int) -> float:
    """Seconds from the command's start until ``/healthz`` says the index holds all ``n`` reports, with a search
    sent every ``TRICKLE_SECONDS`` meanwhile."""
    stop = threading.Event()

    def trickle():
        for word in itertools.cycle(("market", "rice", "border", "prices", "officials")):
            if stop.wait(TRICKLE_SECONDS):
                return
            run.get(f"{url}/api/search/?{urlencode({'q': word})}")

    searcher = threading.Thread(target=trickle, daemon=True)
    searcher.start()
    started = time.perf_counter()
    try:
        run.manage(["ingest", str(reports)], env, work, timeout=300 + n * 0.3)
        deadline = time.monotonic() + 300 + n * 0.1
        while (health := json.loads(run.get(f"{url}/healthz")))["indexed"] < n:
            if time.monotonic() > deadline:
                raise run.BenchError(f"the index holds {health['indexed']} of {n} reports: {health}")
            time.sleep(0.2)
        return time.perf_counter() - started
    finally:
        stop.set()
        searcher.join(timeout=30)


class Query:
    def __init__(self, category: str, archive: dict, baseline: dict | None = None, trail_rank: int = 0):
        self.category, self.archive, self.baseline, self.trail_rank = category, archive, baseline, trail_rank


def build_mixes(stats: dict) -> list[list[Query]]:
    """Two mixes of ``PER_CLASS`` queries a class, with no query in both (other words, phrases and prefixes)."""
    bands = pick_bands(stats)
    common, mid = bands.common, bands.mid
    phrases = sorted(stats["phrase_frequency"], key=lambda p: (-stats["phrase_frequency"][p], p))
    prefixes = sorted({word[:4] for word in (*common, *mid) if len(word) >= 6 and word.isalpha()})
    regions = sorted(stats["region_mentions"], key=lambda s: (-stats["region_mentions"][s], s))[:12]
    sources = sorted(stats["source_counts"], key=lambda s: (-stats["source_counts"][s], s))
    pairs = [(a, b) for a, b in itertools.permutations(common, 2)]
    mixes = []
    for half in (0, 1):
        mix = []
        for i in range(PER_CLASS):
            k = half * PER_CLASS + i
            first, second = pairs[(k * 7) % len(pairs)]
            mix.append(Query("two common words", {"q": f"{first} {second}"},
                             {"match": f"{_quoted(first)} AND {_quoted(second)}"}))
            phrase = phrases[k % len(phrases)]
            mix.append(Query("phrase", {"q": f'"{phrase}"'}, {"match": _quoted(phrase)}))
            kept, dropped = common[k % PER_CATEGORY], common[(k + 5) % PER_CATEGORY]
            mix.append(Query("NOT", {"q": f"{kept} NOT {dropped}"},
                             {"match": f"{_quoted(kept)} NOT {_quoted(dropped)}"}))
            prefix = prefixes[k % len(prefixes)]
            mix.append(Query("prefix", {"q": f"{prefix}*"}, {"match": f"{prefix}*"}))
            mix.append(Query("article with trail", {"q": common[(k * 3) % PER_CATEGORY], "page": str(1 + k % 3)},
                             trail_rank=k % 20))
            chosen = {} if i % 2 == 0 else ({"region": regions[k % len(regions)]} if i % 4 == 1
                                            else {"source": _slug(sources[k % len(sources)])})
            mix.append(Query("empty, newest", {**chosen, "sort": "newest", "page": str(1 + k % 5)},
                             {**chosen, "sort": "newest", "page": str(1 + k % 5)}))
        mixes.append(mix)
    return mixes


def time_mix(mix: list[Query], url: str, baseline_url: str) -> dict:
    """Milliseconds per class: {class: (archive, baseline)}; an article's link is found by a search first (untimed),
    as the analyst's click follows the results page."""
    archive_ms = {name: [] for name in CLASSES}
    baseline_ms = {name: [] for name in CLASSES}
    for query in mix:
        if query.category == "article with trail":
            results = json.loads(run.get(f"{url}/api/search/?{urlencode(query.archive)}"))["results"]
            if not results:
                raise run.BenchError(f"no result to open for {query.archive}")
            hit = results[min(query.trail_rank, len(results) - 1)]
            ms, _ = run.timed_get(f"{hit['url']}?{urlencode({'from_search': urlencode(query.archive)})}")
            # What the page's script then fetches (the page does not wait for it).
            related_ms, _ = run.timed_get(f"{url}{related_path(hit['url'])}")
            archive_ms["its related reports"].append(related_ms)
        else:
            ms, _ = run.timed_get(f"{url}/api/search/?{urlencode(query.archive)}")
        archive_ms[query.category].append(ms)
        if query.baseline is not None:
            baseline_ms[query.category].append(run.timed_get(f"{baseline_url}/search?{urlencode(query.baseline)}")[0])
    return {"archive": archive_ms, "baseline": baseline_ms}


def related_path(article_url: str) -> str:
    """``/articles/<key>/related/`` of an article's permalink."""
    return f"/articles/{urlparse(article_url).path.split('/')[2]}/related/"


def worker_memory(master: int) -> list[tuple[int, float, float]]:
    """(pid, resident MB, private MB) of each gunicorn worker, from ``/proc/<pid>/smaps_rollup``."""
    memory = []
    for pid in run.worker_pids(master):
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        kb = {name: int(value.split()[0]) for name, value in fields.items()}
        memory.append((pid, kb["Rss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024))
    if len(memory) != run.WORKERS:
        raise run.BenchError(f"found {len(memory)} gunicorn workers, expected {run.WORKERS}")
    return memory


def print_report(n: int, result: dict) -> None:
    machine = result["machine"]
    print(f"\n{n:,} reports, gunicorn {run.WORKERS} workers, commit {result['commit']}, {machine['cpus']} CPUs "
          f"({machine['cpu']}), Python {machine['python']}")
    print(f"ingest while serving, until indexed: {result['ingest']:.0f} reports/s "
          f"(FTS5 build: {result['fts5_ingest']:.0f}/s)")
    for number, timing in enumerate(result["timings"], 1):
        print(f"\nmix {number} ({sum(map(len, timing['archive'].values()))} queries)   archive p50 / p95 ms   "
              "FTS5 p50 / p95 ms   p95 ratio")
        every = [ms for values in timing["archive"].values() for ms in values]
        every_base = [ms for values in timing["baseline"].values() for ms in values]
        for name, values in [*timing["archive"].items(), ("whole mix", every)]:
            base = every_base if name == "whole mix" else timing["baseline"][name]
            ratio = f"{run.pct(values, 95) / run.pct(base, 95):.1f}x" if base else ""
            base_text = f"{run.pct(base, 50):7.1f} / {run.pct(base, 95):7.1f}" if base else f"{'-':>17}"
            print(f"  {name:<22} {run.pct(values, 50):7.1f} / {run.pct(values, 95):7.1f}     {base_text}   {ratio}")
    print("\nworker memory, MB: resident (private)")
    for when, workers in result["memory"].items():
        cells = "  ".join(f"{rss:6.1f} ({private:6.1f})" for _, rss, private in workers)
        print(f"  {when:<18} {cells}   largest resident {max(rss for _, rss, _ in workers):.1f}, "
              f"median {statistics.median(rss for _, rss, _ in workers):.1f}")
    print("index segments: " + ", ".join(f"{when} {count}" for when, count in result["segments"].items()))


if __name__ == "__main__":
    sys.exit(main())
