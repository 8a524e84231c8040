"""``manage.py backup PATH`` while the archive serves and ingests, then ``restore`` onto a fresh data folder and
``rebuild_index``: the same rows in every table of the archive (articles, their regions, versions and whatever else
the app stores), the same permalinks, the same search.

That is SQLite's backup. On PostgreSQL (the suite's PostgreSQL pass) the tool is ``pg_dump``: there each test asserts
that the command it runs refuses, names pg_dump and writes nothing."""

import json
import sqlite3
import threading
import time

import pytest

from tests.conftest import DATA, SEEDS
from tests.processes import Archive, Server, write_reports

PER_FILE = 40
FILES_DURING = 20


def archive_tables(database) -> dict[str, list[tuple]]:
    """Every row of every table of the archive app, in a stable order: what a restore must give back."""
    with sqlite3.connect(database) as db:
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'archive\\_%' ESCAPE '\\'")]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


@pytest.fixture
def archive(tmp_path):
    """An archive with reports and an upload kept in its uploads folder."""
    with Archive(tmp_path / "live") as archive:
        archive.manage("migrate", "--noinput")
        archive.manage("ingest", str(SEEDS), str(DATA / "pages" / "reports.jsonl"))
        (archive.data_dir / "uploads").mkdir()
        (archive.data_dir / "uploads" / "report.txt").write_text("an uploaded original")
        yield archive


@pytest.fixture
def serving(archive):
    """That archive served by gunicorn."""
    with Server(archive, workers=2) as server:
        yield archive, server


def assert_refused_for_pg_dump(command):
    """The documented answer on PostgreSQL: exit 1, and use pg_dump (and pg_restore)."""
    assert command.returncode == 1
    assert "use its own tools: pg_dump (and pg_restore) for PostgreSQL" in command.stderr


def test_a_backup_taken_during_an_ingest_holds_whole_files_only(serving, tmp_path):
    """Backups are taken one after another while the ingest stores its files (an ingest stores fast and indexes at
    the end, so one backup's start-up may miss it); each holds whole files, and one was taken mid-ingest."""
    archive, server = serving
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(FILES_DURING):
        write_reports(batch / f"{n}.jsonl", PER_FILE, prefix=f"during{n}")
    before = archive.count("archive_article")
    ingesting = archive.start("ingest", str(batch))
    searches = []
    searching = threading.Thread(target=lambda: searches.extend(server.get("/api/search/?q=rice")[0]
                                                                for _ in range(20)))
    searching.start()
    while not archive.is_writing() and ingesting.poll() is None:
        time.sleep(0.01)
    ingest_running_as_backup_starts = ingesting.poll() is None
    backups = []
    while len(backups) < 5:
        folder = tmp_path / f"backup-{len(backups)}"
        backups.append((folder, archive.manage("backup", str(folder), check=False)))
        if archive.on_postgres or archive.count("archive_article") - before == FILES_DURING * PER_FILE:
            break  # every file is stored: a later backup would overlap nothing
    ingesting.communicate(timeout=600)
    assert ingest_running_as_backup_starts, "the ingest ended before the backup began: nothing overlapped"
    searching.join()

    assert set(searches) == {200}
    copied = []
    for folder, backup in backups:
        if archive.on_postgres:
            assert_refused_for_pg_dump(backup)
            assert not folder.exists()
            continue
        assert backup.returncode == 0, backup.stderr
        with sqlite3.connect(folder / "archive.sqlite3") as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            copied.append(copy.execute("SELECT COUNT(*) FROM archive_article").fetchone()[0] - before)
    assert all(count % PER_FILE == 0 for count in copied)  # each file's transaction is in a copy whole or not at all
    if not archive.on_postgres:  # one copy was taken before the ingest had stored every file: they overlapped
        assert min(copied) < FILES_DURING * PER_FILE


def test_restoring_a_backup_on_a_fresh_folder_gives_the_same_archive(serving, tmp_path):
    archive, server = serving
    backup = archive.manage("backup", str(tmp_path / "backup"), check=False)
    with Archive(tmp_path / "fresh") as fresh:
        if archive.on_postgres:
            assert_refused_for_pg_dump(backup)
            assert_refused_for_pg_dump(fresh.manage("restore", str(tmp_path / "backup"), check=False))
            return
        assert "archive.sqlite3" in backup.stdout and "uploads" in backup.stdout
        original = archive_tables(archive.database)
        _, body = server.get("/api/search/?q=rice&size=100")
        searched = [result["key"] for result in json.loads(body)["results"]]

        fresh.manage("restore", str(tmp_path / "backup"))
        fresh.manage("migrate", "--noinput")
        fresh.manage("rebuild_index", "--noinput")

        assert archive_tables(fresh.database) == original
        assert (fresh.data_dir / "uploads" / "report.txt").read_text() == "an uploaded original"
        assert "missing: 0, extra: 0, stale: 0" in fresh.manage("index_check").stdout
        with Server(fresh, workers=1) as restored:
            for key, slug, title in fresh.rows("SELECT key, slug, title FROM archive_article"):
                status, page = restored.get(f"/articles/{key}/{slug}/")
                assert status == 200 and title.encode() in page.replace(b"&#x27;", b"'").replace(b"&quot;", b'"')
            _, body = restored.get("/api/search/?q=rice&size=100")
            assert [result["key"] for result in json.loads(body)["results"]] == searched


def test_restore_refuses_a_data_folder_that_holds_articles(archive, tmp_path):
    backup = archive.manage("backup", str(tmp_path / "backup"), check=not archive.on_postgres)
    refused = archive.manage("restore", str(tmp_path / "backup"), check=False)
    if archive.on_postgres:
        assert_refused_for_pg_dump(backup)
        assert_refused_for_pg_dump(refused)
        return
    assert refused.returncode == 1
    assert "already holds articles; restore into a fresh ARCHIVE_DATA_DIR" in refused.stderr


def test_a_backup_never_overwrites_another(archive, tmp_path):
    first = archive.manage("backup", str(tmp_path / "backup"), check=not archive.on_postgres)
    again = archive.manage("backup", str(tmp_path / "backup"), check=False)
    if archive.on_postgres:
        assert_refused_for_pg_dump(first)
        assert_refused_for_pg_dump(again)
        return
    assert again.returncode == 1
    assert "already exists; choose a new folder" in again.stderr


def test_postgresql_is_backed_up_with_pg_dump(tmp_path):
    archive = Archive(tmp_path / "pg", database_server=None)
    archive.env["DATABASE_URL"] = "postgres://archive:secret@127.0.0.1:1/archive"  # never connected to
    refused = archive.manage("backup", str(tmp_path / "backup"), check=False)
    assert refused.returncode == 1
    assert "pg_dump" in refused.stderr
    assert not (tmp_path / "backup").exists()
