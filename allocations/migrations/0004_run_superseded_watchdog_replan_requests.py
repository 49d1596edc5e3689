# Runs: superseded status, heartbeat and re-queue count for the watchdog; durable re-plan requests.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0003_shortfall_report'),
        ('staffing', '0002_notification'),
    ]

    operations = [
        migrations.AddField(
            model_name='allocationrun',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, help_text='Last sign of progress; the watchdog reads it.', null=True),
        ),
        migrations.AddField(
            model_name='allocationrun',
            name='requeues',
            field=models.PositiveSmallIntegerField(default=0, help_text='Times the watchdog re-queued it after it stopped making progress.'),
        ),
        migrations.AddField(
            model_name='allocationrun',
            name='via_workers',
            field=models.BooleanField(default=False, help_text='Solved by Celery workers (re-queued if stuck), not a command.'),
        ),
        migrations.AlterField(
            model_name='allocationrun',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('superseded', 'Superseded by a newer run')], default='pending', max_length=16),
        ),
        migrations.CreateModel(
            name='ReplanRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('trigger', models.CharField(max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('queued_at', models.DateTimeField(help_text='When its task was last sent.')),
                ('requeues', models.PositiveSmallIntegerField(default=0)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('error', models.TextField(blank=True)),
                ('aide', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='staffing.aide')),
                ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='staffing.district')),
                ('repair', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='allocations.planrepair')),
            ],
            options={
                'ordering': ['created_at'],
                'indexes': [models.Index(condition=models.Q(('done_at__isnull', True)), fields=['district', 'queued_at'], name='replan_request_waiting'), models.Index(fields=['district', 'date'], name='replan_request_by_date')],
            },
        ),
    ]
