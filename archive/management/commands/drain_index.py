"""``manage.py drain_index``: write every pending index update, in bulk, merge the segments due, then exit.

The process a server starts when its sweep finds a backlog or segments to merge (``archive.search.indexing``: a web
worker never indexes a backlog or merges itself); an operator may run it too, e.g. after ``index_check --repair``
queued many articles. Safe to run twice and beside any other process: one writer at a time holds the index, the others
leave it their rows. It runs at a lower CPU priority (``NICENESS``): the servers' requests come first.
"""

import os

from django.core.management.base import BaseCommand, CommandError

from archive.errors import IndexNotCaughtUp
from archive.progress import Progress
from archive.search.indexing import drain_backlog

NICENESS = 10  # added to this process's (and its indexing processes') nice value: bulk work yields to requests


class Command(BaseCommand):
    help = ("Write every pending search index update (in bulk, one commit per batch), merge the index segments due, "
            "then exit.")

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=3600.0,
                            help="Give up (exit 1) if updates are still pending after this many seconds "
                                 "(default 3600).")

    def handle(self, *args, timeout, **options):
        os.nice(NICENESS)
        shown = None

        def progress(done: int, total: int) -> None:
            nonlocal shown
            shown = shown or Progress(self.stdout, "index updates", total)
            shown.update(done)

        try:
            written = drain_backlog(timeout, progress)
        except IndexNotCaughtUp as exc:
            raise CommandError(str(exc)) from None
        finally:
            if shown:
                shown.finish()
        if options["verbosity"] >= 1:
            self.stdout.write(f"wrote {written} index update(s)")
