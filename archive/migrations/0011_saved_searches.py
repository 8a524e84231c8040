"""Saved searches that watch (``archive.watches``): a name, the search's query string, the last visit, the private
feed's token and the e-mail digest's high-water mark."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0010_result_snapshots'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SavedSearch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('query', models.CharField(blank=True, help_text='SearchParams.as_query_string(), page left out.', max_length=4000)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_visited_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('feed_token', models.CharField(help_text='secrets.token_urlsafe(32); a new one revokes the old.', max_length=64)),
                ('digest', models.CharField(choices=[('none', 'no e-mail'), ('daily', 'daily e-mail'), ('weekly', 'weekly e-mail')], default='none', max_length=10)),
                ('digest_through', models.DateTimeField(default=django.utils.timezone.now, help_text='Changes up to this time were covered.')),
                ('digest_checked_at', models.DateTimeField(blank=True, help_text='The last digest run that covered it.', null=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_searches', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('owner', 'name'), name='saved_search_name_unique')],
            },
        ),
    ]
