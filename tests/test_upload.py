"""The staff upload page: the ingest pipeline behind a form, with the same outcomes as the command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Article
from archive.search.indexing import wait_for_index
from tests.conftest import DATA, SEED_003


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="a long password", is_staff=True)
    client.force_login(user)
    return client


def upload(client, django_capture_on_commit_callbacks, *files):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/upload/", {"files": list(files)})
    wait_for_index()
    return response


def test_upload_needs_a_staff_login(client, db):
    response = client.get("/upload/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_uploaded_files_are_ingested_and_indexed(staff_client, django_capture_on_commit_callbacks):
    report = SimpleUploadedFile("003.txt", SEED_003.read_bytes())
    response = upload(staff_client, django_capture_on_commit_callbacks, report)
    assert response.status_code == 200
    assert "003.txt: added" in response.content.decode()
    article = Article.objects.get()
    assert staff_client.get("/api/search/?q=smuggling").json()["results"][0]["key"] == article.key


def test_a_bad_upload_is_reported_and_the_good_ones_kept(staff_client, django_capture_on_commit_callbacks):
    good = SimpleUploadedFile("003.txt", SEED_003.read_bytes())
    bad = SimpleUploadedFile("broken.json", (DATA / "ingest" / "broken.json").read_bytes())
    response = upload(staff_client, django_capture_on_commit_callbacks, good, bad)
    assert response.status_code == 400
    assert "broken.json: rejected: malformed JSON at line 2" in response.content.decode()
    assert Article.objects.count() == 1


def test_an_oversized_upload_is_refused_by_its_size(staff_client, django_capture_on_commit_callbacks, settings):
    settings.ARCHIVE_MAX_FILE_BYTES = 1000
    huge = SimpleUploadedFile("huge.txt", SEED_003.read_bytes())
    response = upload(staff_client, django_capture_on_commit_callbacks, huge)
    assert "huge.txt: rejected: the file is 4.2 kB; the limit is 1.0 kB" in response.content.decode()
    assert Article.objects.count() == 0
