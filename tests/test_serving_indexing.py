"""A web worker never indexes a backlog (issue 19): its sweep writes small batches itself and hands a larger backlog
to a drainer process it starts; while another process claims the backlog (an ingest), servers leave it alone; an
ingest writes its own backlog in bulk."""

import os
import signal

import pytest

from archive.models import PendingIndexUpdate
from archive.search import indexing
from archive.search.writer_lock import claim_draining
from tests.conftest import SEEDS
from tests.processes import Archive, Server, wait_until, write_reports
from tests.test_crash_safety import assert_index_agrees, drained_health, search_count

PER_FILE = 150  # two files: a backlog larger than a server writes itself (SERVER_WRITES_AT_MOST)


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "data") as archive:
        archive.manage("migrate", "--noinput")
        yield archive


def test_a_backlog_found_by_a_servers_sweep_is_indexed_by_another_process(archive, tmp_path):
    assert 2 * PER_FILE > indexing.SERVER_WRITES_AT_MOST
    archive.manage("ensure_index")
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(2):
        write_reports(batch / f"{n}.jsonl", PER_FILE, prefix=f"backlog{n}")
    with Server(archive, workers=2) as server:
        server_pids = {server.process.pid, *worker_pids(server.process.pid)}
        with archive.holding_index_writer_lock():  # the ingest stores, but cannot index, before it is killed
            run = archive.start("ingest", str(batch))
            assert [run.stdout.readline().endswith(f"added ({PER_FILE} added)\n") for _ in range(2)] == [True, True]
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=30)
        assert archive.count("archive_pendingindexupdate") == 2 * PER_FILE

        health = wait_until(lambda: drained_health(server), what="the backlog handed to a drainer process")
        assert health["indexed"] == health["articles"] == 2 * PER_FILE
        assert search_count(server, "sources") == 2 * PER_FILE
        writer = int((archive.data_dir / "whoosh.writer.lock").read_text())
        assert writer not in server_pids | {run.pid}  # neither a web worker nor the dead ingest wrote the index
    assert_index_agrees(archive, 2 * PER_FILE)


def test_an_ingest_writes_its_whole_backlog_in_bulk(archive, tmp_path):
    """Six files, one commit: the index gets one segment per indexing process, not one per file."""
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(6):
        write_reports(batch / f"{n}.jsonl", 200, prefix=f"bulk{n}")
    archive.manage("ingest", str(batch))
    segments = [name for name in os.listdir(archive.data_dir / "whoosh") if name.endswith(".seg")]
    processes = int(archive.manage("shell", "-c", "from django.conf import settings; "
                                   "print(settings.ARCHIVE_INDEXING_PROCESSES)").stdout.split()[-1])
    assert 1 <= len(segments) <= processes
    assert_index_agrees(archive, 1200)


def test_a_server_writes_a_small_batch_itself(ingest):
    ingest(SEEDS)
    indexing.enqueue(_article_ids())
    assert PendingIndexUpdate.objects.exists()
    assert indexing._serve_pending() == indexing.SWEEP_SECONDS
    assert not PendingIndexUpdate.objects.exists()


def test_a_server_leaves_rows_claimed_by_another_process_alone(ingest):
    ingest(SEEDS)
    indexing.enqueue(_article_ids())
    with claim_draining():  # as an ingest holds it
        assert indexing._serve_pending() == indexing.CLAIMED_RETRY_SECONDS
        assert PendingIndexUpdate.objects.count() == len(_article_ids())
    indexing.wait_for_index()


def _article_ids() -> list[int]:
    from archive.models import Article

    return list(Article.objects.values_list("pk", flat=True))


def worker_pids(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as children:
        return [int(pid) for pid in children.read().split()]
