"""``manage.py update_index``: bring the search index up to date with the database.

Replaces haystack's command of the same name. The index is derived from the database, and a bulk rebuild into a new
generation costs less than updating every document in place, so this is ``rebuild_index`` (documents of deleted,
withdrawn or merged articles leave the index too, as haystack's ``--remove`` would do). Incremental updates happen by
themselves after each commit (``archive.search.indexing``).
"""

from archive.management.commands.rebuild_index import Command as RebuildCommand


class Command(RebuildCommand):
    help = "Bring the search index up to date with the database (a bulk rebuild swapped in atomically)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("app_label", nargs="*", help="Accepted for haystack compatibility; articles are the "
                                                         "only indexed model.")
        parser.add_argument("-r", "--remove", action="store_true",
                            help="Accepted for haystack compatibility; stale documents are always removed.")
