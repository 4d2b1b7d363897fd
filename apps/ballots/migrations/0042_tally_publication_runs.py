# Publication runs (services/runs.py); detection runs made by a publication say so.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ballots', '0041_bloc_rule_lone_order'),
        ('talks', '0004_api_tokens'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='blocdetectionrun',
            name='trigger',
            field=models.CharField(choices=[('organizer', 'An organizer asked'), ('tally', 'Tally recomputation'), ('decision', 'A decision on a bloc'), ('publication', 'Publishing the tally')], max_length=11),
        ),
        migrations.CreateModel(
            name='TallyPublicationRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], db_index=True, default='queued', max_length=10)),
                ('phase', models.CharField(blank=True, max_length=64)),
                ('progress_percent', models.PositiveSmallIntegerField(default=0)),
                ('error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, help_text='Last progress of the running worker.', null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('step_seconds', models.JSONField(blank=True, default=dict, help_text='Seconds each step took: detection, tally, board read, chain, ...')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='publication_runs', to='talks.conference')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('detection', models.ForeignKey(blank=True, help_text='The detection run it ran first; none when another was under way (it ran after it) or once pruned.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ballots.blocdetectionrun')),
                ('snapshot', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ballots.tallysnapshot')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'abstract': False,
                'constraints': [models.CheckConstraint(condition=models.Q(('progress_percent__lte', 100)), name='pubrun_progress_range'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'running', 'succeeded', 'failed'])), name='pubrun_status_valid'), models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'running'])), fields=('conference',), name='pubrun_one_live_run')],
            },
        ),
    ]
