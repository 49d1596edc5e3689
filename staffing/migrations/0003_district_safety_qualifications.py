import staffing.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0002_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="district",
            name="safety_qualifications",
            field=models.JSONField(
                blank=True,
                default=staffing.models.default_safety_qualifications,
                help_text=(
                    "Qualification codes that put a mandate requiring one of them in the safety "
                    "tier, staffed first (1:1 mandates always are)."
                ),
                validators=[staffing.models.validate_qualification_codes],
            ),
        ),
    ]
