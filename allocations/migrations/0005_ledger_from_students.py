"""The delivery ledger's models move from `students` to `allocations.ledger` (state only).

The tables keep their names (`db_table`), as do their constraints and indexes, so the database is
not touched: `students` 0003 drops the models from its state once they exist here. The admin's
content types follow the models, so permissions given on them and the admin's history stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import staffing.timeofday

LEDGER_MODELS = ("deliveryrecord", "compensatoryentry", "misseddaysnotice")


def _content_types_move(apps, schema_editor, source, target):
    """A target that exists already was made by post_migrate between this migration and students
    0003 (a migrate or rollback of one app at a time): it has only the permissions Django gave it
    then, so it gives way to the source, whose permissions people were given."""
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    for model in LEDGER_MODELS:
        moved = rows.filter(app_label=source, model=model)
        if moved.exists():
            rows.filter(app_label=target, model=model).delete()
            moved.update(app_label=target)


def content_types_to_allocations(apps, schema_editor):
    _content_types_move(apps, schema_editor, "students", "allocations")


def content_types_to_students(apps, schema_editor):
    _content_types_move(apps, schema_editor, "allocations", "students")


class Migration(migrations.Migration):

    dependencies = [
        ('allocations', '0004_run_superseded_watchdog_replan_requests'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('staffing', '0001_initial'),
        ('students', '0002_delivery_ledger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='DeliveryRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField()),
                        ('student_code', models.CharField(max_length=64)),
                        ('mandate_code', models.CharField(max_length=64)),
                        ('school_code', models.CharField(max_length=64)),
                        ('aide_code', models.CharField(blank=True, max_length=64)),
                        ('setting', models.CharField(choices=[('classroom', 'Classroom'), ('lunch', 'Lunch'), ('recess', 'Recess'), ('transition', 'Transitions'), ('specials', 'Specials'), ('bus', 'Bus'), ('personal_care', 'Personal care'), ('community', 'Community')], max_length=16)),
                        ('location', models.CharField(max_length=100)),
                        ('start', staffing.timeofday.TimeOfDayField()),
                        ('end', staffing.timeofday.TimeOfDayField()),
                        ('outcome', models.CharField(choices=[('delivered', 'Delivered'), ('missed', 'Missed'), ('unqualified', 'Covered by someone who lacked a required qualification')], max_length=16)),
                        ('cause', models.CharField(blank=True, choices=[('aide_absent', 'The assigned aide was absent'), ('no_qualified_aide', 'No qualified aide was free'), ('qualification_expired', "The aide's qualification had expired"), ('contract_ended_or_cap', 'Agency contract ended or its hours cap was reached'), ('vacancy', 'Vacancy: no aide staffed this service all week'), ('not_planned', "Not in the week's staffing plan"), ('other', 'Other (see the note)')], max_length=32)),
                        ('missing_qualifications', models.CharField(blank=True, help_text="Qualification codes separated by ';'.", max_length=500)),
                        ('note', models.TextField(blank=True)),
                        ('is_current', models.BooleanField(default=True)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('aide', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staffing.aide')),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='staffing.district')),
                        ('mandate', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='delivery_records', to='students.paramandate')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('replaces', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='allocations.deliveryrecord')),
                        ('student', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='delivery_records', to='students.student')),
                    ],
                    options={
                        'db_table': 'students_deliveryrecord',
                        'ordering': ['date', 'start', 'mandate_code', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CompensatoryEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('student_code', models.CharField(max_length=64)),
                        ('mandate_code', models.CharField(max_length=64)),
                        ('date', models.DateField()),
                        ('kind', models.CharField(choices=[('accrual', 'Accrued (missed or unqualified service)'), ('reversal', 'Reversed (the record was corrected)'), ('makeup', 'Make-up session delivered'), ('adjustment', 'Adjustment (IEP-team award)')], max_length=16)),
                        ('minutes', models.PositiveIntegerField()),
                        ('aide_code', models.CharField(blank=True, max_length=64)),
                        ('status', models.CharField(blank=True, choices=[('approved', 'Approved'), ('pending', 'Pending IEP-team decision'), ('declined', 'Declined by the IEP team')], max_length=16)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('note', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('aide', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='staffing.aide')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='staffing.district')),
                        ('mandate', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='compensatory_entries', to='students.paramandate')),
                        ('reverses', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversals', to='allocations.compensatoryentry')),
                        ('student', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='compensatory_entries', to='students.student')),
                        ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='compensatory_entries', to='allocations.deliveryrecord')),
                    ],
                    options={
                        'verbose_name_plural': 'compensatory entries',
                        'db_table': 'students_compensatoryentry',
                        'ordering': ['date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='MissedDaysNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('student_code', models.CharField(max_length=64)),
                        ('school_year_start', models.DateField(help_text='July 1 of the school year.')),
                        ('days', models.PositiveSmallIntegerField(help_text='School days with missed service when flagged.')),
                        ('threshold', models.PositiveSmallIntegerField()),
                        ('flagged_on', models.DateField()),
                        ('parents_notified_on', models.DateField(blank=True, null=True)),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='staffing.district')),
                        ('notified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('student', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='missed_days_notices', to='students.student')),
                    ],
                    options={
                        'db_table': 'students_misseddaysnotice',
                        'ordering': ['-flagged_on', 'student_code'],
                    },
                ),
                migrations.AddIndex(
                    model_name='deliveryrecord',
                    index=models.Index(fields=['district', 'date'], name='students_de_distric_510f7f_idx'),
                ),
                migrations.AddIndex(
                    model_name='deliveryrecord',
                    index=models.Index(fields=['district', 'student_code', 'date'], name='students_de_distric_380184_idx'),
                ),
                migrations.AddIndex(
                    model_name='deliveryrecord',
                    index=models.Index(fields=['district', 'student', 'date'], name='students_de_distric_413870_idx'),
                ),
                migrations.AddConstraint(
                    model_name='deliveryrecord',
                    constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start')), ('end__lte', 1440)), name='delivery_end_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='deliveryrecord',
                    constraint=models.UniqueConstraint(condition=models.Q(('replaces__isnull', True)), fields=('district', 'date', 'mandate_code', 'setting', 'location', 'start'), name='delivery_original_once'),
                ),
                migrations.AddConstraint(
                    model_name='deliveryrecord',
                    constraint=models.UniqueConstraint(condition=models.Q(('replaces__isnull', False)), fields=('district', 'replaces'), name='delivery_corrected_once'),
                ),
                migrations.AddIndex(
                    model_name='compensatoryentry',
                    index=models.Index(fields=['district', 'student_code', 'mandate_code'], name='students_co_distric_e6cbd7_idx'),
                ),
                migrations.AddConstraint(
                    model_name='compensatoryentry',
                    constraint=models.CheckConstraint(condition=models.Q(('minutes__gt', 0)), name='compensatory_minutes_positive'),
                ),
                migrations.AddConstraint(
                    model_name='compensatoryentry',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'accrual'), ('source__isnull', False), ('status__in', ['approved', 'pending', 'declined'])), models.Q(('kind', 'reversal'), ('reverses__isnull', False), ('status', '')), models.Q(('kind__in', ['makeup', 'adjustment']), ('status', '')), _connector='OR'), name='compensatory_kind_fields'),
                ),
                migrations.AddConstraint(
                    model_name='compensatoryentry',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'accrual')), fields=('district', 'source'), name='compensatory_one_accrual_per_record'),
                ),
                migrations.AddConstraint(
                    model_name='compensatoryentry',
                    constraint=models.UniqueConstraint(condition=models.Q(('reverses__isnull', False)), fields=('district', 'reverses'), name='compensatory_reversed_once'),
                ),
                migrations.AddConstraint(
                    model_name='misseddaysnotice',
                    constraint=models.UniqueConstraint(fields=('district', 'student_code', 'school_year_start'), name='missed_days_notice_once_a_year'),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_allocations, content_types_to_students),
    ]
