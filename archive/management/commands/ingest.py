"""``manage.py ingest PATH [PATH ...]``: one line per file; exit 1 if any file was rejected."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.errors import IndexNotCaughtUp
from archive.ingest import ingest_paths
from archive.search.indexing import wait_for_index
from archive.sizes import format_size


class Command(BaseCommand):
    help = "Ingest report files (.txt, .html, .json, .jsonl) and folders of them. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders (folders are read recursively).")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.ARCHIVE_MAX_FILE_BYTES,
            help=(
                "Reject files larger than this many bytes "
                f"(default: ARCHIVE_MAX_FILE_BYTES, {format_size(settings.ARCHIVE_MAX_FILE_BYTES)})."
            ),
        )

    def handle(self, *args, paths, max_bytes, **options):
        rejected = 0
        for outcome in ingest_paths(paths, max_bytes=max_bytes):
            if outcome.is_rejected:
                rejected += 1
                self.stdout.write(self.style.ERROR(str(outcome)))
            else:
                self.stdout.write(str(outcome))
        try:
            wait_for_index()  # the drainer thread dies with the process: let it finish first
        except IndexNotCaughtUp as exc:
            # The articles are stored and their updates queued: a server's drainer or rebuild_index applies them.
            self.stderr.write(self.style.WARNING(f"articles stored; the search index lags: {exc}"))
        if rejected:
            raise CommandError(f"{rejected} file(s) rejected", returncode=1)
