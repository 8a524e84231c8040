"""Every form that changes something needs its CSRF token: a POST without one is refused with 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from archive.models import Article
from tests.conftest import SEED_003


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="a long password")


def test_an_upload_without_a_token_is_refused(strict_client, staff):
    strict_client.force_login(staff)
    response = strict_client.post("/upload/", {"files": [SimpleUploadedFile("003.txt", SEED_003.read_bytes())]})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_a_login_without_a_token_is_refused(strict_client, staff):
    response = strict_client.post("/admin/login/", {"username": "admin", "password": "a long password"})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict_client.session


def test_an_admin_change_without_a_token_is_refused(strict_client, staff, ingest):
    ingest(SEED_003)
    article = Article.objects.get()
    strict_client.force_login(staff)
    response = strict_client.post(f"/admin/archive/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_same_login_with_its_token_succeeds(strict_client, staff):
    """So the 403s above are the missing token's doing."""
    strict_client.get("/admin/login/")
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post("/admin/login/", {"username": "admin", "password": "a long password",
                                                    "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert strict_client.session["_auth_user_id"] == str(staff.pk)
