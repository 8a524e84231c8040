"""The admin: metadata corrections and deletions reach the search index after commit."""

import pytest

from archive.models import Article
from archive.search import SearchParams, run_search
from archive.search.indexing import indexed_count, wait_for_index
from tests.admin_helpers import edit_in_admin
from tests.conftest import SEED_000, SEED_003


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="a long password"))
    return client


def test_correcting_an_author_reindexes_the_article(admin_client, ingest, django_capture_on_commit_callbacks):
    ingest(SEED_003)
    article = Article.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = edit_in_admin(admin_client, article, author="Kim Ji Eun")
    wait_for_index()
    assert response.status_code == 302
    assert [hit.article.key for hit in run_search(SearchParams(author=("kim-ji-eun",))).hits] == [article.key]


def test_deleting_an_article_removes_it_from_the_index(admin_client, ingest, django_capture_on_commit_callbacks):
    ingest(SEED_000, SEED_003)
    article = Article.objects.get(author="Jong So Yong")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/archive/article/{article.pk}/delete/", {"post": "yes"})
    wait_for_index()
    assert response.status_code == 302
    assert (Article.objects.count(), indexed_count()) == (1, 1)
