"""The delivery ledger's models now live in `allocations.ledger` (allocations 0005, which took
them over with their tables): drop them from this app's state only, leaving the tables be."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('students', '0002_delivery_ledger'),
        ('allocations', '0005_ledger_from_students'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='deliveryrecord',
                    name='aide',
                ),
                migrations.RemoveField(
                    model_name='deliveryrecord',
                    name='district',
                ),
                migrations.RemoveField(
                    model_name='deliveryrecord',
                    name='mandate',
                ),
                migrations.RemoveField(
                    model_name='deliveryrecord',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='deliveryrecord',
                    name='replaces',
                ),
                migrations.RemoveField(
                    model_name='deliveryrecord',
                    name='student',
                ),
                migrations.RemoveField(
                    model_name='misseddaysnotice',
                    name='district',
                ),
                migrations.RemoveField(
                    model_name='misseddaysnotice',
                    name='notified_by',
                ),
                migrations.RemoveField(
                    model_name='misseddaysnotice',
                    name='student',
                ),
                migrations.DeleteModel(
                    name='CompensatoryEntry',
                ),
                migrations.DeleteModel(
                    name='DeliveryRecord',
                ),
                migrations.DeleteModel(
                    name='MissedDaysNotice',
                ),
            ],
        ),
    ]
