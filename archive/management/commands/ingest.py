"""``manage.py ingest PATH [PATH ...]``: one line per file; exit 1 if any file was rejected.

``manage.py ingest --replace KEY FILE``: the explicit correction, FILE's one report becomes article KEY's text."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.errors import IndexNotCaughtUp
from archive.ingest import ingest_file, ingest_paths
from archive.progress import Progress
from archive.search.indexing import draining_in_bulk, wait_for_index
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
        parser.add_argument(
            "--replace",
            metavar="KEY",
            help="Correct article KEY: the one report in the one FILE given becomes its text, and the old text is "
            "kept as a version. Without it, a report already stored is left unchanged and any other is added.",
        )

    def handle(self, *args, paths, max_bytes, replace, **options):
        if replace is not None and (len(paths) != 1 or not Path(paths[0]).is_file()):
            raise CommandError("--replace corrects one article from one file: give exactly one FILE")
        with draining_in_bulk():  # servers leave this ingest's backlog to it; it writes thousands a commit
            self._ingest(paths, max_bytes, replace)

    def _ingest(self, paths, max_bytes, replace):
        shown = Progress(self.stdout, "reports stored")
        if replace is not None:
            outcomes = [ingest_file(Path(paths[0]), max_bytes, replace=replace)]
        else:
            outcomes = ingest_paths(paths, max_bytes=max_bytes, on_record=lambda: shown.update(shown.done + 1))
        rejected = 0
        for outcome in outcomes:
            shown.finish()  # the file's line starts a line of its own
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
