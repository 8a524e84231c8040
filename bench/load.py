"""Load test: the production server searched continuously while several ingests write, one of them killed.

    .venv/bin/python bench/load.py [--per-ingest 300] [--searchers 6] [--workers 4] [--database-server URL]

On a fresh data folder: gunicorn (``archive.wsgi:application``, 4 workers) serves while 6 threads search without
pause (API, search page, facets, health), 3 ``manage.py ingest`` processes add ``--per-ingest`` articles each at
once, and a fourth, ingesting a folder of as many articles, is killed with SIGKILL half-way and run again. Then: no
answer may be a 5xx, the database must hold exactly the articles given, and ``index_check`` must find the index in
agreement with it. Prints the requests served, the errors and the final counts; exits 1 if any check fails.

The database is SQLite in the data folder, or, with ``--database-server`` (a PostgreSQL URL; the suite's PostgreSQL
pass gives its own), a fresh database on that server, dropped at the end.
"""

import argparse
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import Archive, Server, kill_after_lines, write_reports  # noqa: E402

SEARCHES = [
    "/api/search/?q=rice", "/api/search/?q=smuggling+border", "/search/?q=market+prices",
    "/api/search/?q=%22exchange+rate%22&sort=newest", "/api/search/?region=hyesan", "/search/?q=guards&source=daily-nk",
    "/api/search/?q=electricity+OR+fuel&year=2019", "/api/search/?q=railw*", "/healthz", "/",
]
KILLED_FILES = 6  # the fourth ingest's folder: killed after half of its files


def run_load(per_ingest: int = 300, searchers: int = 6, workers: int = 4, out=sys.stdout,
             database_server: str | None = None) -> dict:
    """Run the scenario in a throw-away data folder (and database); returns the figures and ``failures`` (empty when
    all hold)."""
    data = Path(tempfile.mkdtemp(prefix="archive-load-"))
    try:
        with Archive(data / "data", database_server) as archive:
            return _run_load(archive, data, per_ingest, searchers, workers, out)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _run_load(archive: Archive, data: Path, per_ingest: int, searchers: int, workers: int, out) -> dict:
    archive.manage("migrate", "--noinput")
    archive.manage("ensure_index")  # as `make run` does: an empty index for an empty archive
    files = [write_reports(data / f"ingest{n}.jsonl", per_ingest, prefix=f"ingest{n}") for n in (1, 2, 3)]
    folder = data / "killed"
    folder.mkdir()
    per_file = per_ingest // KILLED_FILES
    for n in range(KILLED_FILES):
        write_reports(folder / f"{n}.jsonl", per_file, prefix=f"killed{n}")
    expected = 3 * per_ingest + KILLED_FILES * per_file + 1  # and the freshness probe

    statuses: Counter = Counter()
    errors: list[str] = []
    latencies: list[float] = []
    stop = threading.Event()
    record = threading.Lock()

    def search(offset: int, server: Server):
        for path in itertools.islice(itertools.cycle(SEARCHES), offset, None):
            if stop.is_set():
                return
            started = time.monotonic()
            try:
                status, _ = server.get(path)
            except OSError as exc:  # refused or reset connections count as errors too
                with record:
                    errors.append(f"{path}: {exc}")
                continue
            with record:
                statuses[status] += 1
                latencies.append(time.monotonic() - started)

    failures = []
    started = time.monotonic()
    with Server(archive, workers=workers) as server:
        threads = [threading.Thread(target=search, args=(n, server), daemon=True) for n in range(searchers)]
        for thread in threads:
            thread.start()
        try:
            ingests = [archive.start("ingest", str(path)) for path in files]
            killed = archive.start("ingest", str(folder))
            killed_after = kill_after_lines(killed, KILLED_FILES // 2)
            rerun = archive.start("ingest", str(folder))
            freshness = _seconds_to_searchable(archive, server, data / "probe.jsonl")
            for process in [*ingests, rerun]:
                stdout, stderr = process.communicate(timeout=900)
                if process.returncode != 0:
                    failures.append(f"ingest exited {process.returncode}: {stderr.strip()[-500:]}")
            ingested = time.monotonic() - started
            health = _wait_until_drained(server)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    elapsed = time.monotonic() - started

    check = archive.manage("index_check", check=False)
    articles = archive.count("archive_article")
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    if server_errors:
        failures.append(f"{server_errors} answers were 5xx")
    if errors:
        failures.append(f"{len(errors)} requests failed: {errors[:3]}")
    if articles != expected:
        failures.append(f"{articles} articles in the database, expected {expected}")
    if check.returncode != 0:
        failures.append(f"index_check: {check.stdout.strip()} {check.stderr.strip()}")
    if health.get("pending"):
        failures.append(f"{health['pending']} index updates still pending")

    requests = sum(statuses.values())
    figures = {
        "requests": requests, "statuses": dict(sorted(statuses.items())), "5xx": server_errors, "errors": len(errors),
        "requests_per_second": round(requests / elapsed, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "latency_p95_ms": round(statistics.quantiles(latencies, n=20)[-1] * 1000, 1) if len(latencies) > 1 else None,
        "articles": articles, "expected": expected, "indexed": health.get("indexed"), "pending": health.get("pending"),
        "killed_ingest_had_reported": len(killed_after), "ingest_seconds": round(ingested, 1),
        "seconds_from_commit_to_searchable": round(freshness, 2),
        "seconds": round(elapsed, 1), "index_check": check.stdout.strip().splitlines()[-1:],
        "failures": failures,
    }
    print(f"load: gunicorn {workers} workers, {searchers} searching threads, 3 ingests x {per_ingest} articles + 1 "
          f"killed after {len(killed_after)} of {KILLED_FILES} files and re-run, on "
          f"{'PostgreSQL' if archive.on_postgres else 'SQLite'}", file=out)
    for name in ("requests", "statuses", "5xx", "errors", "requests_per_second", "latency_median_ms",
                 "latency_p95_ms", "seconds_from_commit_to_searchable", "articles", "expected", "indexed", "pending",
                 "ingest_seconds", "seconds",
                 "index_check"):
        print(f"  {name:22} {figures[name]}", file=out)
    print("  result                 " + ("OK" if not failures else "FAILED: " + "; ".join(failures)), file=out)
    return figures


def _seconds_to_searchable(archive: Archive, server: Server, path: Path) -> float:
    """Ingest one article with a word no other report has, while the load runs; seconds from the moment its file
    is reported (after its commit) until the search API finds it."""
    path.write_text(json.dumps({"title": "Probe", "body": "Zyzzyva sighted in Hyesan.", "url": "urn:probe"}) + "\n")
    probe = archive.start("ingest", str(path))
    probe.stdout.readline()
    committed = time.monotonic()
    while time.monotonic() - committed < 120:
        try:
            status, body = server.get("/api/search/?q=zyzzyva")
        except OSError:
            continue
        if status == 200 and json.loads(body)["count"] == 1:
            break
    found = time.monotonic() - committed
    probe.communicate(timeout=300)
    return found


def _wait_until_drained(server: Server, within: float = 120) -> dict:
    """/healthz once no index update is pending (the servers' drainers finish what the ingests queued)."""
    deadline = time.monotonic() + within
    health = {}
    while time.monotonic() < deadline:
        try:
            status, body = server.get("/healthz")
        except OSError:
            continue
        health = json.loads(body) if status in (200, 503) else {}
        if health.get("pending") == 0:
            break
        time.sleep(0.2)
    return health


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-ingest", type=int, default=300, help="articles each ingest adds (default 300)")
    parser.add_argument("--searchers", type=int, default=6, help="threads searching without pause (default 6)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--database-server", metavar="URL",
                        help="a PostgreSQL server (postgres://user@host/db, a role that may create databases): the "
                        "run gets a database of its own there, dropped at the end (default: SQLite in the data folder)")
    args = parser.parse_args()
    figures = run_load(args.per_ingest, args.searchers, args.workers, database_server=args.database_server)
    sys.exit(1 if figures["failures"] else 0)


if __name__ == "__main__":
    main()
