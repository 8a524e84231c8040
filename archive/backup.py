"""Backup and restore of the archive's source of truth: the database and the uploads folder. The index is not
copied: it is derived, and ``rebuild_index`` makes it again from the restored database.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``): a consistent snapshot of committed
transactions, taken while the archive serves and ingests (in WAL mode readers never block writers), never a half-written
file as copying ``archive.sqlite3`` could give. For PostgreSQL the tool is ``pg_dump`` (and ``pg_restore``).
"""

import shutil
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connection

from archive.errors import ArchiveError

DATABASE_FILE = "archive.sqlite3"
UPLOADS = "uploads"


class BackupError(ArchiveError):
    """A backup or restore that cannot be made as asked; the message says why and what to do."""


def backup_to(folder: Path, progress=None) -> list[Path]:
    """Write the database (and the uploads folder, if there is one) into ``folder``; returns what was written.
    ``progress(pages done, pages in all)`` is called as the database is copied."""
    _require_sqlite("back up")
    folder = Path(folder)
    target = folder / DATABASE_FILE
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new folder for this backup")
    folder.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step: one snapshot, however busy the archive is (copied in steps, the copy would start again after
        # each commit of another process, and could never end during an ingest); progress hears of it once.
        connection.connection.backup(copy, progress=(lambda _status, left, total: progress(total - left, total))
                                     if progress else None)
    finally:
        copy.close()
    written = [target]
    uploads = Path(settings.ARCHIVE_UPLOAD_DIR)
    if uploads.is_dir():
        shutil.copytree(uploads, folder / UPLOADS)
        written.append(folder / UPLOADS)
    return written


def restore_from(folder: Path) -> None:
    """Copy a backup into this (fresh) data folder's database and uploads. Refuses to overwrite articles."""
    _require_sqlite("restore")
    folder = Path(folder)
    source = folder / DATABASE_FILE
    if not source.is_file():
        raise BackupError(f"{source} is not there; give the folder that `manage.py backup` wrote")
    if _has_articles():
        raise BackupError("this data folder already holds articles; restore into a fresh ARCHIVE_DATA_DIR")
    connection.ensure_connection()
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()
    if (folder / UPLOADS).is_dir():
        shutil.copytree(folder / UPLOADS, settings.ARCHIVE_UPLOAD_DIR, dirs_exist_ok=True)


def _require_sqlite(action: str) -> None:
    if connection.vendor != "sqlite":
        raise BackupError(f"to {action} a {connection.vendor} database use its own tools: pg_dump (and pg_restore) "
                          "for PostgreSQL; then rebuild_index")


def _has_articles() -> bool:
    from archive.models import Article

    return Article._meta.db_table in connection.introspection.table_names() and Article.objects.exists()
