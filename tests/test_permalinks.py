"""Permalinks: short, URL-safe keys derived from what the report is, and redirects to the canonical URL.

The literal keys are pinned here: a change that moved every permalink must fail these tests, not pass them.
"""

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


# What each seed is (the SHA-256 of its bytes) gives its key; its file name gave the key it had before, which answers 301.
SEED_KEYS = {SEED_000: ("qsgdneg3aj", "vxiwi5cd2b"), SEED_003: ("fyzbpepsjs", "5dkyxqirso")}
URL_REPORT = {"title": "Rice prices climb in Hyesan", "body": "Rice prices climbed in Hyesan this week.",
              "url": "https://www.dailynk.com/english/rice-prices-hyesan/"}


def test_the_seeds_keys_are_pinned(ingest):
    for seed, (key, _) in SEED_KEYS.items():
        [outcome] = ingest(seed)
        assert outcome.keys == [key]


def test_the_seeds_former_keys_answer_301_to_their_permalinks(client, ingest):
    ingest(SEED_000, SEED_003)
    for key, former in SEED_KEYS.values():
        article = Article.objects.get(key=key)
        response = client.get(f"/articles/{former}/")
        assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())
        assert client.get(f"/articles/{former}/v/")["Location"] == f"/articles/{key}/v/"
        assert client.get(f"/articles/{former}/v/1/")["Location"] == f"/articles/{key}/v/1/"
        assert client.get(f"/articles/{former}/related/")["Location"] == f"/articles/{key}/related/"


def test_a_report_with_a_url_is_keyed_by_it_whatever_the_file_is_called(ingest, tmp_path):
    for name in ("one.json", "two.json"):
        (tmp_path / name).write_text(json.dumps(URL_REPORT))
    assert [o.status for o in ingest(tmp_path / "one.json", tmp_path / "two.json")] == ["added", "unchanged"]
    assert Article.objects.get().key == "gib7e2wjgo" == article_key(f"url:{URL_REPORT['url']}")


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
    assert sorted(first.values()) == sorted(key for key, _ in SEED_KEYS.values())
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
