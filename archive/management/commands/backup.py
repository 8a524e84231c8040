"""``manage.py backup PATH``: a consistent copy of the database and uploads, made while the archive serves."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, backup_to
from archive.progress import Progress


class Command(BaseCommand):
    help = ("Copy the SQLite database (online backup API) and the uploads folder into PATH, a new folder. "
            "For PostgreSQL use pg_dump.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="Folder to write the backup into (created; must not hold a backup).")

    def handle(self, *args, path, **options):
        shown = Progress(self.stdout, "database pages")

        def progress(done: int, total: int) -> None:
            shown.total = total
            shown.update(done)

        try:
            written = backup_to(Path(path), progress if shown.is_shown else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            shown.finish()
        for item in written:
            self.stdout.write(f"wrote {item}")
