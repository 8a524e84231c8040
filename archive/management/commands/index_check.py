"""``manage.py index_check [--repair]``: does the index hold exactly what the database says? Exit 1 on drift."""

from django.core.management.base import BaseCommand, CommandError

from archive.errors import IndexNotCaughtUp, IndexUnavailable
from archive.search.index_check import find_drift
from archive.search.index_check import repair as repair_drift


class Command(BaseCommand):
    help = ("Compare the search index with the database by article id: missing, extra and stale documents. "
            "Exit status 1 if they differ (without --repair).")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true",
                            help="Queue every differing article for re-indexing and wait until the index holds it.")

    def handle(self, *args, repair: bool, **options):
        try:
            drift = find_drift()
        except IndexUnavailable as exc:
            raise CommandError(f"{exc}", returncode=2) from None
        self.stdout.write(f"articles to index: {drift.indexable}, documents in the index: {drift.indexed}")
        self.stdout.write(f"missing: {len(drift.missing)}, extra: {len(drift.extra)}, stale: {len(drift.stale)}")
        if not drift:
            self.stdout.write("index agrees with the database")
            return
        if not repair:
            raise CommandError("index differs from the database; run index_check --repair", returncode=1)
        try:
            repair_drift(drift)
        except IndexNotCaughtUp as exc:
            raise CommandError(f"repair incomplete: {exc}", returncode=2) from None
        after = find_drift()
        if after:
            raise CommandError(f"still differing after repair: missing {len(after.missing)}, extra "
                               f"{len(after.extra)}, stale {len(after.stale)}", returncode=2)
        self.stdout.write(self.style.SUCCESS(f"repaired {len(drift.ids)} article(s); index agrees with the database"))
