"""Authors' family and given names, guessed from the bylines already stored (correctable in the admin)."""

from django.db import migrations, models

from archive.names import guess_name_parts

BATCH = 1000


def guess_existing(apps, schema_editor):
    Article = apps.get_model("archive", "Article")
    pending = []
    for article in Article.objects.exclude(author="").only("pk", "author").iterator(chunk_size=BATCH):
        article.author_family, article.author_given = guess_name_parts(article.author)
        pending.append(article)
        if len(pending) == BATCH:
            Article.objects.bulk_update(pending, ["author_family", "author_given"])
            pending.clear()
    Article.objects.bulk_update(pending, ["author_family", "author_given"])


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0005_integrity"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="author_family",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="author's family name",
                help_text="Guessed at ingest (Korean names put it first: Jong in Jong So Yong); correct it here if "
                          "wrong.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="author_given",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="author's given names", help_text="So Yong in Jong So Yong.",
            ),
        ),
        migrations.RunPython(guess_existing, migrations.RunPython.noop),
    ]
