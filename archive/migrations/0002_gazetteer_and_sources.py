"""Seed the gazetteer (provinces, special cities, cities, counties, districts) and the known sources.

Reads ``fixtures/gazetteer.json`` and ``fixtures/sources.json``; re-running updates names and aliases in place.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def load(apps, schema_editor):
    Region = apps.get_model("archive", "Region")
    Source = apps.get_model("archive", "Source")
    by_slug = {}
    for place in json.loads((FIXTURES / "gazetteer.json").read_text(encoding="utf-8")):
        region, _ = Region.objects.update_or_create(
            slug=place["slug"],
            defaults={
                "name": place["name"],
                "kind": place["kind"],
                "aliases": place.get("aliases", []),
                "parent": by_slug[place["parent"]] if place.get("parent") else None,
            },
        )
        by_slug[region.slug] = region
    for source in json.loads((FIXTURES / "sources.json").read_text(encoding="utf-8")):
        Source.objects.update_or_create(slug=source["slug"], defaults={"name": source["name"]})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
