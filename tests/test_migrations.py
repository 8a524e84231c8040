"""Migrations keep what was handed out: an archive made before identity came from content keeps every permalink; a
gazetteer reloaded with every spelling keeps every region, its slug and its articles."""

import hashlib
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from archive.ingest.keys import article_key
from archive.models import Article, FormerKey, PendingIndexUpdate, Region
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


@pytest.mark.django_db(transaction=True)
def test_the_gazetteer_reload_updates_regions_by_slug_adds_new_ones_and_deletes_none():
    old = migrate([("archive", "0005_integrity")])
    OldRegion, OldArticle = old.get_model("archive", "Region"), old.get_model("archive", "Article")
    if not OldRegion.objects.exists():  # an earlier transactional test emptied the tables
        importlib.import_module("archive.migrations.0002_gazetteer_and_sources").load(old, None)
    OldRegion.objects.filter(slug="punggye-ri").delete()  # as in an archive made before the site was in the fixture
    OldRegion.objects.filter(slug="hyesan").update(aliases=["Hyesan City"])
    local = OldRegion.objects.create(slug="local-market", name="Local market", kind="town",
                                     parent=OldRegion.objects.get(slug="hyesan"))
    article = OldArticle.objects.create(key="abcdefghij", origin="url:https://example.org/m", title="Market",
                                        body_html="<p>Text</p>", body_text="Text", content_hash="0" * 64)
    article.regions.add(local)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    hyesan = Region.objects.get(slug="hyesan")
    assert (hyesan.hangul[:2], hyesan.wof_id) == (["혜산시", "혜산"], 1108746903)
    assert "Hyesan-si" in hyesan.aliases
    assert Region.objects.get(slug="punggye-ri").parent.slug == "kilju"
    assert list(Article.objects.get(pk=article.pk).regions.values_list("slug", flat=True)) == ["local-market"]
