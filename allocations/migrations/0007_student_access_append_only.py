"""The record of access to students' records, append-only: on PostgreSQL a trigger refuses
every UPDATE and DELETE of its rows (the admin offers neither; SQLite relies on that alone).
TRUNCATE, which the test suite's flush uses, is a table operation and stays an operator's."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGER = """
CREATE FUNCTION allocations_studentaccess_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the record of access is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER allocations_studentaccess_append_only
    BEFORE UPDATE OR DELETE ON allocations_studentaccess
    FOR EACH ROW EXECUTE FUNCTION allocations_studentaccess_refuse();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS allocations_studentaccess_append_only ON allocations_studentaccess;
DROP FUNCTION IF EXISTS allocations_studentaccess_refuse();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0006_delivery_cause_from_engine_causes"),
        ("staffing", "0004_notification_attachments"),
        ("students", "0003_ledger_to_allocations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StudentAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                (
                    "user_name",
                    models.CharField(
                        help_text="Full name then; empty if the account had none.", max_length=300
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("director", "Director"),
                            ("case_manager", "Case manager"),
                            ("parent", "Parent or guardian"),
                            ("operator", "ParaCover operator"),
                            ("other", "Other account"),
                        ],
                        max_length=16,
                    ),
                ),
                ("student_code", models.CharField(max_length=64)),
                ("what", models.CharField(max_length=200)),
                (
                    "door",
                    models.CharField(
                        choices=[
                            ("admin", "administration pages"),
                            ("api", "district systems (API)"),
                            ("portal", "family portal"),
                            ("report", "reports"),
                            ("export", "exported file"),
                        ],
                        max_length=8,
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="staffing.district",
                    ),
                ),
                (
                    "student",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="students.student",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "student record access",
                "verbose_name_plural": "student record accesses",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["district", "student_code", "at"], name="access_student_at"
                    ),
                    models.Index(fields=["district", "at"], name="access_district_at"),
                ],
            },
        ),
        migrations.RunPython(_on_postgresql(TRIGGER), _on_postgresql(DROP_TRIGGER)),
    ]
