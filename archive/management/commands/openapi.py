"""Print the API's OpenAPI document, or write it over the committed copy (``openapi.json``) after an API change."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from archive.views.api import v1

COMMITTED = Path(settings.BASE_DIR) / "openapi.json"


def openapi_document() -> str:
    """The document as the archive serves it at /api/v1/openapi.json, in a stable, diffable form."""
    return json.dumps(v1.get_openapi_schema(path_prefix="/api/v1/"), indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI document of /api/v1/, or write it to openapi.json (the copy the tests compare)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true",
                            help=f"write it to {COMMITTED.name} in the repository instead of printing it")

    def handle(self, *args, write=False, **options):
        if write:
            COMMITTED.write_text(openapi_document(), encoding="utf-8")
            self.stdout.write(f"written to {COMMITTED}")
        else:
            self.stdout.write(openapi_document(), ending="")
