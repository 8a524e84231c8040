"""``manage.py restore PATH``: a backup into a fresh data folder; then ``rebuild_index``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.backup import BackupError, restore_from


class Command(BaseCommand):
    help = ("Restore a folder written by `manage.py backup` into this ARCHIVE_DATA_DIR (which must hold no "
            "articles). Run `manage.py rebuild_index --noinput` afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder `manage.py backup` wrote.")

    def handle(self, *args, path, **options):
        try:
            restore_from(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("restored; now run: manage.py migrate && manage.py rebuild_index --noinput")
