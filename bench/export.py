"""Exporting a whole result set as CSV: how long, and how much memory, for every report of the archive.

``make bench`` measures it on its corpus after the other figures (``bench/run.py`` calls ``measure``); on its own,
``bench/export.py --n 20000`` generates, ingests and indexes a corpus in a temporary folder first (a few minutes).

The export runs in a fresh process of its own (``--in-process``), through the export view as a request would,
streaming the response to nothing: its time, the size of the file, and the process's peak resident memory
(``ru_maxrss``) beside its memory after a warm-up export of one result, so the difference is what exporting
everything costs. The ids of every result are held (8 bytes and a list slot each); the rows are not.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def measure(env: dict) -> dict:
    """The figures of exporting every report of the archive in ``env``'s data folder, as a CSV."""
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--in-process"], check=False, cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"the export bench failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def export_in_process() -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.test import RequestFactory

    from archive.models import Article
    from archive.views.exports import export

    host = os.environ.get("ARCHIVE_ALLOWED_HOSTS", "127.0.0.1").split(",")[0]
    factory = RequestFactory(HTTP_HOST=host)
    first = Article.objects.searchable().order_by("pk").first()
    _drain(export(factory.get("/search/export.csv", {"q": f'title:"{first.title}"'}), "csv"))  # warm-up
    before = _peak_mb()
    started = time.perf_counter()
    size, lines = _drain(export(factory.get("/search/export.csv"), "csv"))
    seconds = time.perf_counter() - started
    return {"rows": lines - 1, "seconds": seconds, "mb": size / 2**20, "rows_per_s": (lines - 1) / seconds,
            "peak_rss_mb": _peak_mb(), "rss_before_mb": before, "added_mb": _peak_mb() - before}


def _drain(response) -> tuple[int, int]:
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N") or 20_000),
                        help="reports to generate and export (default: BENCH_N, else 20,000)")
    parser.add_argument("--in-process", action="store_true", help="export the archive of ARCHIVE_DATA_DIR here and "
                        "print the figures as JSON (what measure() runs)")
    args = parser.parse_args()
    if args.in_process:
        print(json.dumps(export_in_process()))
        return 0
    sys.path.insert(0, str(BENCH))
    import corpus

    work = Path(tempfile.mkdtemp(prefix="archive-export-bench-"))
    try:
        env = {**os.environ, "ARCHIVE_DATA_DIR": str(work / "data"), "ARCHIVE_DEBUG": "false",
               "ARCHIVE_ALLOWED_HOSTS": "127.0.0.1"}
        env.pop("DATABASE_URL", None)
        corpus.generate(work / "corpus", args.n)
        for arguments in (["migrate", "--noinput"], ["ingest", str(corpus.reports_dir(work / "corpus"))],
                          ["rebuild_index", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=3600)
        figures = measure(env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"export of {figures['rows']:,} results as CSV: {figures['seconds']:.1f} s ({figures['rows_per_s']:,.0f} "
          f"rows/s, {figures['mb']:.1f} MB); peak RSS {figures['peak_rss_mb']:.0f} MB, "
          f"{figures['added_mb']:.0f} MB above the process after a one-result export")
    return 0


if __name__ == "__main__":
    sys.exit(main())
