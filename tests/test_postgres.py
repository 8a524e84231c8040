"""The archive on PostgreSQL by configuration alone: migrations, ingest and permalink keys match SQLite's.

A real server (Debian's) is started in a temporary folder for the test; without one the test skips (a failure under
``make test`` and in CI).
"""

import os
import subprocess

import pytest

from tests.postgres_server import MISSING, postgres_bin, running_postgres
from tests.test_permalinks import _keys_in_a_fresh_database


@pytest.fixture(scope="module")
def postgres_url():
    if postgres_bin() is None:
        pytest.skip(MISSING)
    with running_postgres() as url:
        yield url


def test_postgres_gets_the_same_permalink_keys_as_sqlite(tmp_path, postgres_url, monkeypatch):
    on_sqlite = _keys_in_a_fresh_database(tmp_path / "sqlite")
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    on_postgres = _keys_in_a_fresh_database(tmp_path / "postgres", keep_database_url=True)
    assert len(on_postgres) == 2
    assert on_postgres == on_sqlite
    assert _rows_in_postgres(postgres_url, "SELECT count(*) FROM archive_article") == "2"


def _rows_in_postgres(url: str, sql: str) -> str:
    """Ask the server itself, so the test cannot pass against SQLite by mistake."""
    bin_dir, rest = postgres_bin(), url.removeprefix("postgres://archive@")
    host, port = rest.split("/")[0].replace("%2F", "/").rsplit(":", 1)
    out = subprocess.run([f"{bin_dir}/psql", "-h", host, "-p", port, "-U", "archive", "-d", "archive", "-tAc", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def test_the_suite_runs_on_the_database_that_database_url_names(db):
    """`make test` runs the suite twice, on SQLite and on PostgreSQL; this says which one a run really used."""
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
