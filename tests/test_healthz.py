"""/healthz: the database count beside the index count and the queue of pending updates, so a stale index shows."""

import pytest
from django.db import transaction

from archive.errors import IndexNotCaughtUp
from archive.models import Article
from archive.search.indexing import index_after_commit
from archive.search_indexes import ArticleIndex
from tests.conftest import SEED_000, SEED_003


def test_healthz_counts_articles_indexed_documents_and_pending_updates(client, ingest):
    ingest(SEED_000, SEED_003)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "articles": 2, "indexed": 2, "pending": 0, "failing": 0, "segments": 1,
                               "merge_due": False}


def test_healthz_shows_an_index_that_lags_the_database(client, ingest, search_index):
    ingest(SEED_000, SEED_003)
    search_index.get_backend().clear()
    body = client.get("/healthz").json()
    assert (body["status"], body["articles"], body["indexed"], body["pending"]) == ("degraded", 2, 0, 0)


def test_updates_waiting_in_the_queue_are_counted_as_catching_up(client, ingest):
    ingest(SEED_000, SEED_003)
    with transaction.atomic():
        index_after_commit(Article.objects.values_list("pk", flat=True))  # committed, not yet drained
    body = client.get("/healthz").json()
    assert (body["status"], body["pending"]) == ("ok", 2)


def test_failing_updates_make_the_status_degraded(client, ingest, monkeypatch):
    def prepare_author(self, article):
        raise ValueError("cannot be indexed")

    monkeypatch.setattr(ArticleIndex, "prepare_author", prepare_author)
    with pytest.raises(IndexNotCaughtUp):
        ingest(SEED_003)
    body = client.get("/healthz").json()
    assert (body["status"], body["articles"], body["indexed"], body["pending"], body["failing"]) == (
        "degraded", 1, 0, 1, 1)
