"""People that reports name, tagged at ingest like regions; loaded from ``fixtures/people.json`` by slug (updated in
place on a later run, never deleted)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def load(apps, schema_editor):
    Person = apps.get_model("archive", "Person")
    for person in json.loads((FIXTURES / "people.json").read_text(encoding="utf-8")):
        Person.objects.update_or_create(
            slug=person["slug"],
            defaults={"name": person["name"], "hangul": person.get("hangul", []),
                      "aliases": person.get("aliases", []), "description": person.get("description", "")},
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0007_gazetteer_spellings")]
    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="As KCNA and the press write it, surname first.",
                                          max_length=100)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("hangul", models.JSONField(blank=True, default=list,
                                            help_text="Hangul names: the North's spelling first, then the South's "
                                                      "where it differs.")),
                ("aliases", models.JSONField(blank=True, default=list,
                                             help_text="Other Latin spellings found in news text.")),
                ("description", models.CharField(blank=True, help_text="A few words saying who.", max_length=200)),
            ],
            options={"ordering": ["name"], "verbose_name_plural": "people"},
        ),
        migrations.AddField(
            model_name="article",
            name="people",
            field=models.ManyToManyField(blank=True, related_name="articles", to="archive.person"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
