"""A scratch archive for a benchmark run in-process: a data folder of its own and Django set up on it."""

import os
import shutil
import tempfile
from pathlib import Path


def in_scratch_archive(name: str, measure, args, keep: Path | None = None) -> None:
    """``measure(data_dir, args)`` on a data folder of its own: a temporary one, removed afterwards, or ``keep``
    (made if missing and kept, so a second run reuses what the first ingested)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        measure(str(keep.resolve()), args)
        return
    data_dir = tempfile.mkdtemp(prefix=f"archive-bench-{name}-")
    try:
        measure(data_dir, args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def set_up_django(data_dir: str) -> None:
    """Django on that data folder (the settings read it once, at setup), its database migrated."""
    os.environ["ARCHIVE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ingested_corpus(data_dir: str, articles: int) -> Path:
    """The folder of the generated corpus of this data folder, ingested and indexed: made on the first run (timed), a
    marker file then telling later runs on a kept folder (``--data-dir``) to reuse it."""
    import time

    from corpus import generate, reports_dir

    corpus = Path(data_dir) / "corpus"
    ingested = Path(data_dir) / "ingested"
    if not ingested.exists():
        generate(corpus, articles)
        from archive.ingest import ingest_paths
        from archive.search.indexing import wait_for_index

        started = time.perf_counter()
        list(ingest_paths([reports_dir(corpus)]))
        wait_for_index(timeout=24 * 3600)  # a large corpus on a busy machine takes longer than the default
        print(f"ingested and indexed {articles:,} reports in {time.perf_counter() - started:.0f} s")
        ingested.touch()
    return corpus
