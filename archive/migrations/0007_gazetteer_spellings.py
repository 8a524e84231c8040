"""Every spelling of a place: Hangul names and the Who's On First id beside the Latin aliases, and towns and sites
as kinds of region; the gazetteer reloaded from ``fixtures/gazetteer.json`` (built by ``manage.py build_gazetteer``).

The reload updates each region by slug (slugs are in URLs and never change), adds the places the fixture has that the
database has not, and deletes nothing: a region an archivist added, or one articles are tagged with, stays.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def load(apps, schema_editor):
    Region = apps.get_model("archive", "Region")
    by_slug = {region.slug: region for region in Region.objects.all()}
    for place in json.loads((FIXTURES / "gazetteer.json").read_text(encoding="utf-8")):
        region = by_slug.get(place["slug"]) or Region(slug=place["slug"])
        region.name = place["name"]
        region.kind = place["kind"]
        region.parent = by_slug[place["parent"]] if place.get("parent") else None
        region.aliases = place.get("aliases", [])
        region.hangul = place.get("hangul", [])
        region.wof_id = place.get("wof_id")
        region.save()
        by_slug[region.slug] = region


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_author_name_parts")]
    operations = [
        migrations.AddField(
            model_name="region",
            name="hangul",
            field=models.JSONField(blank=True, default=list,
                                   help_text="Hangul names: the North's spelling first, then the South's where it "
                                             "differs."),
        ),
        migrations.AddField(
            model_name="region",
            name="wof_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="Who's On First id",
                                         help_text="The Who's On First record the place comes from (empty: none "
                                                   "has it)."),
        ),
        migrations.AlterField(
            model_name="region",
            name="aliases",
            field=models.JSONField(blank=True, default=list, help_text="Other Latin spellings found in news text."),
        ),
        migrations.AlterField(
            model_name="region",
            name="kind",
            field=models.CharField(choices=[("province", "province"), ("special-city", "special city"),
                                            ("city", "city"), ("county", "county"), ("district", "district"),
                                            ("town", "town or neighbourhood"), ("site", "site")], max_length=20),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
