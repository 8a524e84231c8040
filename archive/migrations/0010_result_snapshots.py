"""Accounts for analysts and result-set snapshots: the "Analysts" group (staff add an account to it in the admin),
and the frozen result sets analysts cite."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ANALYSTS = "Analysts"  # archive.accounts.ANALYSTS, as it was when this migration was written


def add_analysts_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ANALYSTS)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0009_linked_editions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.RunPython(add_analysts_group, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ResultSnapshot",
            fields=[
                ("id", models.CharField(editable=False, max_length=16, primary_key=True, serialize=False)),
                ("query", models.TextField(
                    help_text="The search's canonical query string (SearchParams), without page or size.")),
                ("created_at", models.DateTimeField(db_index=True)),
                ("count", models.PositiveIntegerField()),
                ("title", models.CharField(blank=True, max_length=200)),
                ("note", models.TextField(blank=True)),
                ("digest", models.CharField(
                    help_text="SHA-256 of the canonical form of the frozen contents.", max_length=64)),
                ("deleted_at", models.DateTimeField(blank=True, null=True)),
                ("deleted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="+", to=settings.AUTH_USER_MODEL)),
                ("owner", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                            to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "result-set snapshot",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["owner", "created_at"], name="snapshot_owner_created_idx")],
            },
        ),
        migrations.CreateModel(
            name="SnapshotItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField()),
                ("key", models.CharField(max_length=16)),
                ("version", models.PositiveIntegerField()),
                ("author_family", models.CharField(blank=True, max_length=200)),
                ("author_given", models.CharField(blank=True, max_length=200)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                              to="archive.article")),
                ("snapshot", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="items",
                                               to="archive.resultsnapshot")),
            ],
            options={
                "ordering": ["snapshot", "position"],
                "constraints": [models.UniqueConstraint(fields=("snapshot", "position"),
                                                        name="snapshot_position_unique")],
            },
        ),
    ]
