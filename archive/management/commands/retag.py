"""``manage.py retag``: add the places and people the current gazetteer finds to the articles already stored."""

from django.core.management.base import BaseCommand

from archive.ingest.retag import REASON, retag
from archive.models import Article
from archive.progress import Progress


class Command(BaseCommand):
    help = ("Tag every article again with the current gazetteer and list of people (after build_gazetteer and a "
            "migration loaded a new one). Only adds: regions a record listed or an archivist set stay. Each change "
            f"of regions is kept in the article's history as a correction ('{REASON}'). Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would change without writing anything.")

    def handle(self, *args, dry_run: bool, **options):
        shown = Progress(self.stdout, "articles", Article.objects.searchable().count())
        outcome = retag(dry_run=dry_run, progress=shown)
        shown.finish()
        gained = "would gain" if dry_run else "gained"
        self.stdout.write(f"articles checked: {outcome.checked}; {gained} regions: {outcome.regions_added}; "
                          f"{gained} people: {outcome.people_added}")
