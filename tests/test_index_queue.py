"""The durable queue of index updates: written with the change, drained by one writer, never lost.

Tests marked ``transactional_db`` commit for real, so the drainer thread (not the test) writes the index, as in a
server; the others run in one never-committed transaction, where the nudge drains in the test's own thread.
"""

import shutil
import subprocess
import sys
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from haystack import connections

from archive.errors import IndexNotCaughtUp, IndexUnavailable
from archive.ingest import ingest_bytes
from archive.models import Article, PendingIndexUpdate
from archive.search import SearchParams, run_search
from archive.search.engine import indexed_count
from archive.search.indexing import drain, enqueue, index_after_commit, wait_for_index
from archive.search.whoosh import ArchiveWhooshBackend
from archive.search.writer_lock import lock_path
from archive.search_indexes import ArticleIndex
from tests.conftest import SEED_000, SEED_003

NEW_ARTICLE_DEADLINE = 2.0  # seconds from commit to searchable while the archive is under load


def keys_found(q: str) -> list[str]:
    return [hit.article.key for hit in run_search(SearchParams(q=q)).hits]


def eventually(condition, within: float, what: str):
    """Wait on a condition (another thread or process makes it true), failing after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {within} s: {what}")
        time.sleep(0.02)


def report(title: str) -> bytes:
    return f'{{"title": "{title}", "body": "A report about {title} in Hyesan.", "date": "2020-01-02"}}\n'.encode()


@pytest.fixture
def hold_the_writer_lock_elsewhere():
    """Start a separate process that holds the index's writer lock; returns the function that releases it."""
    holders = []
    script = ("import fcntl, os, sys; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); f.truncate(0); "
              "f.write(f'{os.getpid()}\\n'); f.flush(); print('held', flush=True); sys.stdin.read()")

    def hold():
        holder = subprocess.Popen([sys.executable, "-c", script, lock_path()], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        holders.append(holder)
        assert holder.stdout.readline().strip() == "held"

        def release():
            holder.stdin.close()
            holder.wait(timeout=10)

        release.pid = holder.pid
        return release

    yield hold
    for holder in holders:
        if holder.poll() is None:
            holder.stdin.close()
            holder.wait(timeout=10)


# In one transaction -----------------------------------------------------------------------------------------------

def test_a_change_is_queued_in_the_transaction_that_makes_it(db):
    with transaction.atomic():
        outcome = ingest_bytes("a.jsonl", report("Rice prices"))
        article = Article.objects.get(key=outcome.keys[0])
        assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [article.pk]


def test_a_change_rolled_back_leaves_nothing_queued(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        ingest_bytes("a.jsonl", report("Rice prices"))
        raise RuntimeError("the surrounding work failed")
    assert (Article.objects.count(), PendingIndexUpdate.objects.count()) == (0, 0)


def test_updates_leave_the_queue_once_the_index_holds_them(ingest):
    ingest(SEED_000, SEED_003)
    assert PendingIndexUpdate.objects.count() == 0
    assert indexed_count() == 2


def test_enqueueing_an_article_twice_keeps_one_row_with_the_newest_version(ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    with transaction.atomic():
        index_after_commit([article.pk])
        first = PendingIndexUpdate.objects.get().version
        index_after_commit([article.pk])
        row = PendingIndexUpdate.objects.get()
    assert row.article_id == article.pk and row.version != first


def test_a_failed_write_stays_queued_with_its_error_and_is_retried(ingest, search_index):
    ingest(SEED_000, SEED_003)
    backend = search_index.get_backend()
    shutil.rmtree(backend.path)  # the index is lost: the next write cannot be made
    article = Article.objects.first()
    with transaction.atomic():
        index_after_commit([article.pk])
    assert drain() is True  # the lock was taken; the write failed and was recorded
    row = PendingIndexUpdate.objects.get()
    assert row.attempts == 1
    assert "IndexUnavailable" in row.last_error
    assert row.retry_at is not None

    backend.clear()  # rebuild_index's first step; the queued update goes through on its retry
    wait_for_index()
    assert PendingIndexUpdate.objects.count() == 0
    assert indexed_count() == 1


def test_one_failing_article_does_not_hold_back_the_others(ingest, monkeypatch):
    original = ArticleIndex.prepare_author

    def prepare_author(self, article):
        if article.author == "Jong So Yong":
            raise ValueError("this article cannot be indexed")
        return original(self, article)

    monkeypatch.setattr(ArticleIndex, "prepare_author", prepare_author)
    with pytest.raises(Exception, match="1 index update"):
        ingest(SEED_000, SEED_003)
    failing = PendingIndexUpdate.objects.get()
    assert failing.article_id == Article.objects.get(author="Jong So Yong").pk
    assert "this article cannot be indexed" in failing.last_error
    assert indexed_count() == 1


def test_an_edit_waits_in_the_queue_while_another_process_holds_the_writer_lock_and_a_wait_names_it(
        ingest, hold_the_writer_lock_elsewhere):
    ingest(SEED_003)
    article = Article.objects.get()
    release = hold_the_writer_lock_elsewhere()
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Zucchini smugglers")
        index_after_commit([article.pk])
    assert drain() is False  # the other process holds the lock: nothing written, nothing lost
    assert keys_found("zucchini") == []
    assert PendingIndexUpdate.objects.count() == 1
    # Waiting gives up after a stall, naming the process that holds the lock; the update stays queued.
    with pytest.raises(IndexNotCaughtUp, match=f"1 index update.* process {release.pid} holds the index writer lock"):
        wait_for_index(timeout=0.5)
    assert PendingIndexUpdate.objects.count() == 1

    release()
    wait_for_index()
    assert keys_found("zucchini") == [article.key]


# Committed for real: the drainer thread writes --------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_waiting_for_the_index_goes_on_past_its_timeout_while_another_writer_shrinks_the_backlog(
        hold_the_writer_lock_elsewhere):
    """An ingest of 100,000 reports waits for its backlog as long as it takes, as long as it is being written (here
    by someone taking the rows away one by one while another process holds the writer lock); only a stall of
    ``timeout`` seconds ends the wait."""
    release = hold_the_writer_lock_elsewhere()
    enqueue(range(1, 9))
    written = []

    def write_one_row_at_a_time():
        for row in PendingIndexUpdate.objects.order_by("article_id"):
            time.sleep(0.4)
            row.delete()
            written.append(row.article_id)
        connection.close()

    writer = threading.Thread(target=write_one_row_at_a_time)
    writer.start()
    started = time.monotonic()
    wait_for_index(timeout=1.5)
    assert time.monotonic() - started > 1.5 * 2  # it waited past its timeout ...
    assert len(written) == 8 and not PendingIndexUpdate.objects.exists()  # ... until the backlog was written
    writer.join()
    release()


@pytest.mark.django_db(transaction=True)
def test_a_new_article_is_searchable_within_two_seconds_of_its_commit():
    outcome = ingest_bytes("a.jsonl", report("Quinoa traders"))
    committed = time.monotonic()
    eventually(lambda: keys_found("quinoa") == outcome.keys, NEW_ARTICLE_DEADLINE, "the new article searchable")
    assert time.monotonic() - committed <= NEW_ARTICLE_DEADLINE
    eventually(lambda: not PendingIndexUpdate.objects.exists(), 5, "the queue empty")


@pytest.mark.django_db(transaction=True)
def test_an_edit_made_while_another_process_holds_the_writer_lock_reaches_the_index_once_it_is_released(
        hold_the_writer_lock_elsewhere):
    outcome = ingest_bytes("a.jsonl", report("Rice prices"))
    wait_for_index()
    article = Article.objects.get(key=outcome.keys[0])
    release = hold_the_writer_lock_elsewhere()
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="Zucchini smugglers")
        index_after_commit([article.pk])
    # Committed; this process's drainer cannot take the lock, so the index still has the old title.
    assert keys_found("zucchini") == []
    release()
    eventually(lambda: keys_found("zucchini") == [article.key], 5, "the edit in the index after the lock is freed")


@pytest.mark.django_db(transaction=True)
def test_a_delete_during_a_batch_is_not_lost(monkeypatch):
    outcomes = [ingest_bytes(f"{name}.jsonl", report(name)) for name in ("Millet", "Sorghum")]
    wait_for_index()
    millet, sorghum = (Article.objects.get(key=o.keys[0]) for o in outcomes)

    def delete_sorghum_elsewhere():
        """Another request deletes an article and commits while the batch that re-indexes it is being written."""
        with transaction.atomic():
            Article.objects.filter(pk=sorghum.pk).delete()
            index_after_commit([sorghum.pk])
        connection.close()

    original_write = ArchiveWhooshBackend.write
    interrupted = []

    def write_during_a_delete(self, documents, removed_ids=(), **options):
        if not interrupted:
            interrupted.append(True)
            deleting = threading.Thread(target=delete_sorghum_elsewhere)
            deleting.start()
            deleting.join()
        return original_write(self, documents, removed_ids, **options)

    monkeypatch.setattr(ArchiveWhooshBackend, "write", write_during_a_delete)
    with transaction.atomic():
        index_after_commit([millet.pk, sorghum.pk])  # a batch re-indexing both, read before the delete
    wait_for_index()
    assert interrupted
    assert keys_found("sorghum") == []
    assert keys_found("millet") == [millet.key]
    assert indexed_count() == 1


@pytest.mark.django_db(transaction=True)
def test_no_lock_error_reaches_a_request_while_the_index_is_being_written(staff_client):
    client = staff_client
    backend = connections["default"].get_backend()
    busy = backend.index.writer()  # someone else's long write holds Whoosh's own lock
    try:
        upload = client.post("/upload/", {"files": [SimpleUploadedFile("a.jsonl", report("Barley"))]})
        search = client.get("/api/search/?q=barley")
        assert (upload.status_code, search.status_code) == (200, 200)
        assert search.json()["count"] == 0  # not yet written: it waits in the queue, the requests do not
    finally:
        busy.cancel()
    eventually(lambda: client.get("/api/search/?q=barley").json()["count"] == 1, 5, "the upload searchable")


def test_a_search_on_a_lost_index_raises_index_unavailable(ingest, search_index):
    ingest(SEED_000)
    shutil.rmtree(search_index.get_backend().path)
    with pytest.raises(IndexUnavailable):
        run_search(SearchParams(q="rice"))


def test_a_missing_index_is_created_when_every_article_it_must_hold_is_queued(ingest, search_index):
    """A fresh install: nothing indexed yet, so creating the index hides nothing."""
    shutil.rmtree(search_index.get_backend().path)
    ingest(SEED_000, SEED_003)
    assert indexed_count() == 2
