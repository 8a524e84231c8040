"""/healthz: the database count beside the index count, so a stale index shows."""

from archive.models import Article
from tests.conftest import SEED_000, SEED_003


def test_healthz_counts_articles_and_indexed_documents(client, ingest):
    ingest(SEED_000, SEED_003)
    body = client.get("/healthz").json()
    assert body["articles"] == 2
    assert body["indexed"] == 2


def test_healthz_shows_an_index_that_lags_the_database(client, ingest, search_index):
    ingest(SEED_000, SEED_003)
    search_index.get_backend().clear()
    body = client.get("/healthz").json()
    assert (body["articles"], body["indexed"]) == (2, 0)
