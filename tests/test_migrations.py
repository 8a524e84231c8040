"""Migrations keep what was handed out: an archive made before identity came from content keeps every permalink."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from archive.ingest.keys import article_key
from archive.models import Article, FormerKey, PendingIndexUpdate
from tests.conftest import SEED_003

BEFORE = [("archive", "0004_pending_index_updates")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_reports_keyed_by_file_name_get_their_content_key_and_keep_the_old_one():
    old = migrate(BEFORE).get_model("archive", "Article")
    digest = hashlib.sha256(SEED_003.read_bytes()).hexdigest()
    common = {"title": "North Korean intel agency", "body_html": "<p>Text</p>", "body_text": "Text"}
    by_name = old.objects.create(key=article_key("file:003.txt"), origin="file:003.txt", content_hash=digest, **common)
    by_url = old.objects.create(key=article_key("url:https://example.org/a"), origin="url:https://example.org/a",
                                content_hash="0" * 64, **common)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved, kept = Article.objects.get(pk=by_name.pk), Article.objects.get(pk=by_url.pk)
    assert (moved.key, moved.origin) == ("fyzbpepsjs", f"sha256:{digest}")  # what a fresh ingest of the file gives
    assert list(FormerKey.objects.values_list("key", "article")) == [(article_key("file:003.txt"), moved.pk)]
    assert (kept.key, kept.origin) == (by_url.key, by_url.origin)
    assert list(PendingIndexUpdate.objects.values_list("article_id", flat=True)) == [moved.pk]
