"""``manage.py ensure_index``: rebuild the search index only when it does not hold every article.

``make run`` calls it on every start, so a second start reuses the index instead of rebuilding it.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.errors import IndexUnavailable
from archive.models import Article
from archive.search.engine import indexed_count


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database if its document count differs from the count of searchable "
        "articles."
    )

    def handle(self, *args, **options):
        articles = Article.objects.searchable().count()
        try:
            indexed = indexed_count()
        except IndexUnavailable:
            self.stdout.write(f"index is missing or unreadable: rebuilding it for {articles} articles")
        else:
            if articles == indexed:
                self.stdout.write(f"index is current: {indexed} articles")
                return
            self.stdout.write(f"index holds {indexed} of {articles} articles: rebuilding")
        call_command("rebuild_index", interactive=False, verbosity=0)
        self.stdout.write(f"index rebuilt: {indexed_count()} articles")
