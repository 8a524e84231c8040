"""One side of a race as a process of its own: ``python -m tests.change_worker ingest|withdraw``, started on an
archive by ``tests.processes.Archive.worker``.

The test plays the barrier (``tests.processes.at_once``): each round it writes one line to each worker at once and
reads one line back from each, so the changes start together. ``ingest`` reads a file's path and ingests it as
``manage.py ingest`` does, answering the file's outcome line (``name: added``, ``name: rejected: reason``, ...);
``withdraw`` reads an article's key and withdraws it with the reason ``REASON``, answering ``withdrawn`` or why it was
refused. Each says ``ready`` once Django is set up and connected (so the first round starts together too), and at
the end of its input waits for its index updates, as the command does.
"""

import sys
from pathlib import Path

import django

REASON = "Withdrawn at the source's request."


def main(role: str) -> None:
    django.setup()
    from django.db import connection

    from archive.errors import RefusedChange
    from archive.ingest import ingest_file
    from archive.models import Article
    from archive.search.indexing import wait_for_index
    from archive.withdrawal import withdraw

    def ingest(path: str) -> str:
        return str(ingest_file(Path(path)))

    def withdraw_article(key: str) -> str:
        try:
            withdraw(Article.objects.get(key=key), REASON)
        except RefusedChange as refused:
            return str(refused)
        return "withdrawn"

    change = {"ingest": ingest, "withdraw": withdraw_article}[role]
    connection.ensure_connection()
    print("ready", flush=True)
    for line in sys.stdin:
        print(change(line.strip()), flush=True)
    wait_for_index()


if __name__ == "__main__":
    main(sys.argv[1])
