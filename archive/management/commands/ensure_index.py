"""``manage.py ensure_index``: rebuild the search index only when it does not hold every article, or when its terms
were made by an older version of the analysis (an upgrade that changes how words are read).

``make run`` calls it on every start, so a second start reuses the index instead of rebuilding it.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.errors import IndexUnavailable
from archive.models import Article
from archive.search.engine import indexed_count, needs_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database if its document count differs from the count of searchable "
        "articles, or if an older analysis built it."
    )

    def handle(self, *args, **options):
        articles = Article.objects.searchable().count()
        try:
            indexed = indexed_count()
        except IndexUnavailable:
            reason = "index is missing or unreadable"
        else:
            if needs_rebuild():
                reason = "index was built by an older analysis"
            elif articles == indexed:
                self.stdout.write(f"index is current: {indexed} articles")
                return
            else:
                reason = f"index holds {indexed} of {articles} articles"
        self.stdout.write(f"{reason}: rebuilding it for {articles} articles")
        call_command("rebuild_index", interactive=False, verbosity=0)
        self.stdout.write(f"index rebuilt: {indexed_count()} articles")
