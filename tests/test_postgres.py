"""The archive on PostgreSQL by configuration alone: migrations, ingest and permalink keys match SQLite's.

A real server (Debian's) is started in a temporary folder for the test; in CI a missing server is a failure.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

from tests.test_permalinks import _keys_in_a_fresh_database


def _postgres_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    bin_dir = _postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing (.ci/run installs Debian's postgresql)")
        pytest.skip("PostgreSQL server not installed here (apt-get install postgresql)")
    workdir = tempfile.mkdtemp(prefix="archive-pg-")
    # The server refuses to run as root: run it as the postgres user, which must own its folder.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(workdir, "postgres")
    data, port = os.path.join(workdir, "data"), _free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True)  # noqa: E731
    run(f"{bin_dir}/initdb", "-D", data, "-U", "archive", "--auth=trust", "-E", "UTF8")
    run(f"{bin_dir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(workdir, "log"), "-o",
        f"-p {port} -k {workdir} -c listen_addresses=''", "start")
    try:
        run(f"{bin_dir}/createdb", "-h", workdir, "-p", str(port), "-U", "archive", "archive")
        yield f"postgres://archive@{workdir.replace('/', '%2F')}:{port}/archive"
    finally:
        run(f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def test_postgres_gets_the_same_permalink_keys_as_sqlite(tmp_path, postgres_url, monkeypatch):
    on_sqlite = _keys_in_a_fresh_database(tmp_path / "sqlite")
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    on_postgres = _keys_in_a_fresh_database(tmp_path / "postgres", keep_database_url=True)
    assert len(on_postgres) == 2
    assert on_postgres == on_sqlite
    assert _rows_in_postgres(postgres_url, "SELECT count(*) FROM archive_article") == "2"


def _rows_in_postgres(url: str, sql: str) -> str:
    """Ask the server itself, so the test cannot pass against SQLite by mistake."""
    bin_dir, rest = _postgres_bin(), url.removeprefix("postgres://archive@")
    host, port = rest.split("/")[0].replace("%2F", "/").rsplit(":", 1)
    out = subprocess.run([f"{bin_dir}/psql", "-h", host, "-p", port, "-U", "archive", "-d", "archive", "-tAc", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()
