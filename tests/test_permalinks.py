"""Permalinks: short, URL-safe keys derived from the source document, and redirects to the canonical URL."""

import json
import os
import re
import subprocess
import sys

from django.conf import settings

from archive.ingest.keys import article_key
from archive.models import Article
from tests.conftest import SEED_000, SEED_003


def test_keys_are_short_and_url_safe(ingest):
    ingest(SEED_000, SEED_003)
    for key in Article.objects.values_list("key", flat=True):
        assert re.fullmatch(r"[a-z2-7]{10}", key)


def test_key_derives_from_the_file_name_so_it_survives_edits():
    assert article_key("file:000_1b115cae4bdd20a0.txt") == article_key("file:000_1b115cae4bdd20a0.txt")
    assert article_key("file:a.txt") != article_key("file:b.txt")


def _keys_in_a_fresh_database(data_dir, keep_database_url=False):
    """Migrate and ingest the seeds into a brand-new data folder, in a separate process, and list the keys."""
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "archive.settings"}
    if not keep_database_url:
        env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "ingest", str(SEED_003), str(SEED_000)], env=env, check=True, capture_output=True)
    script = "import json; from archive.models import Article; print(json.dumps(dict(Article.objects.values_list('origin', 'key'))))"
    out = subprocess.run([*manage, "shell", "-v0", "-c", script], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_the_same_files_get_the_same_keys_in_two_fresh_databases(tmp_path):
    first = _keys_in_a_fresh_database(tmp_path / "one")
    second = _keys_in_a_fresh_database(tmp_path / "two")
    assert len(first) == 2
    assert first == second


def test_the_canonical_url_answers_200(client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    response = client.get(f"/articles/{article.key}/{article.slug}/")
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_the_bare_key_redirects_permanently_to_the_canonical_url(client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    response = client.get(f"/articles/{article.key}/")
    assert response.status_code == 301
    assert response["Location"] == f"/articles/{article.key}/north-korean-intel-agency-to-oversee-expanded-smuggling-ops/"


def test_a_wrong_or_stale_slug_redirects_permanently(client, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    response = client.get(f"/articles/{article.key}/an-old-title/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_an_unknown_key_is_404(client, db):
    assert client.get("/articles/aaaaaaaaaa/whatever/").status_code == 404
