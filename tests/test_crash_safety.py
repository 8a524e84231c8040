"""An ``ingest`` killed at any moment (SIGKILL: no cleanup runs) leaves no half article, and running it again
completes the batch without duplicates, with the index in agreement; articles it stored but did not index are
indexed by a running server without it. Real processes on a real database (SQLite's file, or PostgreSQL in the
PostgreSQL pass)."""

import json
import signal
import time

import pytest

from tests.processes import Archive, Server, kill_after_lines, wait_until, write_reports

FILES, PER_FILE = 6, 60
WHOLE = "SELECT COUNT(*) FROM archive_article a WHERE NOT EXISTS " \
        "(SELECT 1 FROM archive_article_regions r WHERE r.article_id = a.id)"


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "data") as archive:
        archive.manage("migrate", "--noinput")
        yield archive


def assert_index_agrees(archive: Archive, articles: int):
    check = archive.manage("index_check")
    assert f"articles to index: {articles}, documents in the index: {articles}" in check.stdout
    assert "missing: 0, extra: 0, stale: 0" in check.stdout


def test_an_ingest_killed_between_files_keeps_whole_files_and_a_rerun_completes_the_batch(archive, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(FILES):
        write_reports(batch / f"{n:02d}.jsonl", PER_FILE, prefix=f"file{n}")

    run = archive.start("ingest", str(batch))
    reported = kill_after_lines(run, 3)
    assert run.returncode == -signal.SIGKILL
    assert all(line.endswith(f"added ({PER_FILE} added)") for line in reported)

    stored = archive.count("archive_article")
    assert stored % PER_FILE == 0 and 3 * PER_FILE <= stored < FILES * PER_FILE  # whole files, the batch unfinished
    assert archive.rows(WHOLE) == [(0,)]  # no article without the regions stored with it

    rerun = archive.manage("ingest", str(batch))
    assert rerun.stdout.count(f"unchanged ({PER_FILE} unchanged)") == stored // PER_FILE
    assert rerun.stdout.count(f"added ({PER_FILE} added)") == FILES - stored // PER_FILE
    assert archive.count("archive_article") == FILES * PER_FILE
    assert archive.rows("SELECT COUNT(DISTINCT origin) FROM archive_article") == [(FILES * PER_FILE,)]
    assert archive.count("archive_pendingindexupdate") == 0
    assert_index_agrees(archive, FILES * PER_FILE)


def test_an_ingest_killed_inside_a_big_file_stores_none_of_it_and_a_rerun_stores_all(archive, tmp_path):
    big = write_reports(tmp_path / "big.jsonl", 600, prefix="big")
    run = archive.start("ingest", str(big))
    deadline = time.monotonic() + 120
    while not archive.is_writing():  # the file's transaction is open: its articles are being stored
        assert run.poll() is None, "the ingest finished before it could be killed: make the file bigger"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)

    assert archive.count("archive_article") == 0
    archive.manage("ingest", str(big))
    assert archive.count("archive_article") == 600
    assert_index_agrees(archive, 600)


def test_articles_a_killed_ingest_stored_but_never_indexed_are_indexed_by_a_running_servers_sweep(archive, tmp_path):
    """The ingest cannot write the index while the test holds its writer lock (as a long index write by another
    process would), so when it is killed, its articles are stored and only the queue of index updates knows they
    are not searchable yet. The server's sweep indexes them; the ingest is not run again."""
    archive.manage("ensure_index")
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(2):
        write_reports(batch / f"{n}.jsonl", PER_FILE, prefix=f"swept{n}")
    with Server(archive, workers=2) as server:
        with archive.holding_index_writer_lock():
            run = archive.start("ingest", str(batch))
            reported = [run.stdout.readline() for _ in range(2)]
            assert all(line.endswith(f"added ({PER_FILE} added)\n") for line in reported)
            run.send_signal(signal.SIGKILL)
            assert run.wait(timeout=30) == -signal.SIGKILL
            assert archive.count("archive_pendingindexupdate") == 2 * PER_FILE
            assert search_count(server, "sources") == 0

        health = wait_until(lambda: drained_health(server), what="the server's sweep emptying the queue")
        assert health["status"] == "ok" and health["indexed"] == health["articles"] == 2 * PER_FILE
        assert search_count(server, "sources") == 2 * PER_FILE
    assert_index_agrees(archive, 2 * PER_FILE)


def drained_health(server: Server) -> dict | None:
    """What /healthz says, once no index update is pending."""
    status, body = server.get("/healthz")
    assert status == 200, body
    health = json.loads(body)
    return health if health["pending"] == 0 else None


def search_count(server: Server, query: str) -> int:
    status, body = server.get(f"/api/search/?q={query}")
    assert status == 200, body
    return json.loads(body)["count"]
