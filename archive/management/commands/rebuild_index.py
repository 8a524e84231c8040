"""``manage.py rebuild_index``: the whole search index rebuilt from the database, in bulk, swapped in atomically.

Replaces haystack's command of the same name (``archive`` comes before ``haystack`` in INSTALLED_APPS), which clears
the live index and then updates it one document at a time: searches meanwhile would see an empty or partial index.
"""

import time

from django.core.management.base import BaseCommand

from archive.progress import Progress
from archive.search import engine
from archive.search.rebuild import BATCH_SIZE, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from the database beside the live one, then swap it in."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", default=True,
                            help="Accepted for haystack compatibility; nothing is asked (searches never see an empty "
                                 "index, so there is nothing to confirm).")
        parser.add_argument("-b", "--batch-size", dest="batchsize", type=int, default=BATCH_SIZE,
                            help=f"Articles read and prepared at once (default {BATCH_SIZE}).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = self.stdout.write if options["verbosity"] >= 2 else None
        shown = Progress(self.stdout, "articles", engine.indexable_articles().count())

        def progress(n: int) -> None:
            shown.update(n)
            if report and not shown.is_shown:
                report(f"prepared {n} articles")

        count = rebuild_index(options["batchsize"], progress=progress)
        shown.finish()
        if options["verbosity"] >= 1:
            self.stdout.write(f"indexed {count} articles in {time.perf_counter() - started:.1f} s")
