"""Upload limits: a body over the size limit is refused from its Content-Length before any of it is read, too many
files are refused with the same clear 413, and large files stream to disk rather than memory."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import override_settings

from archive.ingest import ingest_upload
from archive.models import Article
from archive.views import upload as upload_view
from tests.conftest import SEED_003


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read



def test_a_body_over_the_limit_is_refused_unread(staff_client):
    too_big = settings.ARCHIVE_MAX_UPLOAD_BYTES + 1
    response = staff_client.generic("POST", "/upload/", b"", "multipart/form-data; boundary=x",
                                    CONTENT_LENGTH=str(too_big), **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    assert "the archive accepts at most 256 MiB at once" in response.content.decode()


def test_a_script_asking_for_json_gets_the_message_as_json(staff_client):
    response = staff_client.generic("POST", "/upload/", b"", "multipart/form-data; boundary=x",
                                    CONTENT_LENGTH=str(10**12), HTTP_ACCEPT="application/json",
                                    **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    assert "Upload fewer files at a time" in response.json()["error"]


def test_the_limit_holds_for_anonymous_requests_too(client, db):
    response = client.generic("POST", "/admin/login/", b"", "application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(10**12), **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=3, ARCHIVE_MAX_UPLOAD_FILES=3)
def test_too_many_files_are_refused_and_none_stored(staff_client):
    files = [SimpleUploadedFile(f"{n}.txt", SEED_003.read_bytes()) for n in range(4)]
    response = staff_client.post("/upload/", {"files": files})
    assert response.status_code == 413
    assert "at most 3 in one upload" in response.content.decode()
    assert not Article.objects.exists()


def test_the_file_count_limit_follows_the_setting():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == settings.ARCHIVE_MAX_UPLOAD_FILES == 500


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_file_bigger_than_the_memory_limit_streams_to_a_temporary_file(staff_client, monkeypatch):
    """Through the archive's own upload view: the file the pipeline gets is on disk, and it is still ingested."""
    received = []

    def spy(uploaded, *args, **kwargs):
        received.append(type(uploaded))
        return ingest_upload(uploaded, *args, **kwargs)

    monkeypatch.setattr(upload_view, "ingest_upload", spy)
    body = SEED_003.read_bytes()
    assert len(body) > 1024
    response = staff_client.post("/upload/", {"files": SimpleUploadedFile(SEED_003.name, body)})
    assert response.status_code == 200
    assert received == [TemporaryUploadedFile]
    assert Article.objects.count() == 1
