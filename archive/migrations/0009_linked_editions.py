"""An English and a Korean edition of one report can be linked: ``translation_of`` (set by the admin, or at ingest
from a record's ``translation_of``), and the reference kept while the other edition is not yet ingested."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("archive", "0008_people")]
    operations = [
        migrations.AddField(
            model_name="article",
            name="translation_of",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="translations", to="archive.article", verbose_name="other edition",
                                    help_text="The same report in another language; each page links to the other."),
        ),
        migrations.AddField(
            model_name="article",
            name="translation_ref",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=1000,
                                   help_text="A record's translation_of (the other edition's URL or key) not yet in "
                                             "the archive: linked when that edition is ingested."),
        ),
    ]
