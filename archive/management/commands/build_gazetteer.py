"""``manage.py build_gazetteer``: write ``fixtures/gazetteer.json`` and ``fixtures/people.json`` from the shared
place data and the reviewed tables of ``archive.gazetteer_build`` (its docstring says what is corrected and why)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.gazetteer_build import FIXTURES, SOURCE, build, write


class Command(BaseCommand):
    help = ("Build the gazetteer and the list of people (fixtures/gazetteer.json, fixtures/people.json) from "
            "fixtures/sources/places-kp.jsonl.xz and the reviewed tables in archive/gazetteer_build.py. Safe to run "
            "again: the same input writes the same bytes.")

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=SOURCE,
                            help=f"The Who's On First extract, one JSON object a line (default: {SOURCE}).")
        parser.add_argument("--out-dir", type=Path, default=FIXTURES,
                            help="Folder to write gazetteer.json and people.json into (default: the project's "
                                 "fixtures/, which the migrations load).")

    def handle(self, *args, source: Path, out_dir: Path, **options):
        if not source.is_file():
            raise CommandError(f"{source} does not exist: give the Who's On First extract with --source")
        if not out_dir.is_dir():
            raise CommandError(f"{out_dir} is not a folder")
        places, people = build(source)
        for path in write(places, people, out_dir):
            self.stdout.write(f"wrote {path}")
        aliases = sum(len(place["aliases"]) for place in places)
        self.stdout.write(f"{len(places)} places ({aliases} Latin spellings), {len(people)} people")
