"""Shared fixtures: a fresh search index per test, and ingest through the real pipeline; strict runs fail on skips."""

from pathlib import Path

import pytest
from django.conf import settings
from haystack import connections

from archive.ingest import ingest_file, ingest_paths
from archive.search.indexing import join_drainer, wait_for_index
from tests.strictness import is_strict, strict_message

SEEDS = Path(settings.BASE_DIR) / "seeds"
SEED_000 = SEEDS / "000_1b115cae4bdd20a0.txt"
SEED_003 = SEEDS / "003_0fe90757cfa603df.txt"
DATA = Path(__file__).parent / "data"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under `make test` and in CI a skipped test fails, with the reason it was skipped."""
    return _fail_if_skipped_and_strict((yield))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """The same for a module skipped as it is collected."""
    return _fail_if_skipped_and_strict((yield))


def _fail_if_skipped_and_strict(report):
    if report.skipped and not hasattr(report, "wasxfail") and is_strict():
        path, line, reason = report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{path}:{line}: {strict_message(reason)}"
    return report


@pytest.fixture(autouse=True)
def search_index(tmp_path):
    """Each test gets an empty Whoosh index of its own (created: a missing index is a lost one, answered by 503)."""
    info = connections.connections_info["default"]
    original = info["PATH"]
    info["PATH"] = str(tmp_path / "whoosh")
    engine = connections.reload("default")
    engine.get_backend().clear()
    yield engine
    join_drainer()
    info["PATH"] = original
    connections.reload("default")


@pytest.fixture
def ingest(db, django_capture_on_commit_callbacks):
    """Ingest paths as the command does, running the after-commit indexing and waiting for the index writer;
    returns the outcomes. ``replace=KEY`` corrects that article from each file given, as ``ingest --replace``."""

    def run(*paths, replace=None, **options):
        with django_capture_on_commit_callbacks(execute=True):
            if replace is None:
                outcomes = list(ingest_paths(paths, **options))
            else:
                outcomes = [ingest_file(Path(path), replace=replace, **options) for path in paths]
        wait_for_index()
        return outcomes

    return run


# Users, made here once: "editor" is staff (the upload page), "admin" a superuser (the admin's change forms).
PASSWORD = "a long password"


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def admin_user(django_user_model):
    """Replaces pytest-django's, so every test's superuser has the same name and password."""
    return django_user_model.objects.create_superuser("admin", password=PASSWORD)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
