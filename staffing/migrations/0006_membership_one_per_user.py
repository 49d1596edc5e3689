"""A user has at most one membership (issue 9, item 2): the unique key moves from (district,
user) to user. Existing duplicates are reported, not removed: which membership is right is an
operator's decision, so the migration stops and names them."""

from django.db import migrations, models


def refuse_duplicates(apps, schema_editor):
    Membership = apps.get_model("staffing", "Membership")
    seen: dict[int, list[str]] = {}
    for user_id, username, district_code in Membership.objects.order_by(
        "user_id", "district__code"
    ).values_list("user_id", "user__username", "district__code"):
        seen.setdefault(user_id, [username]).append(district_code)
    twice = {names[0]: names[1:] for names in seen.values() if len(names) > 2}
    if twice:
        listed = "; ".join(f"{user}: {', '.join(codes)}" for user, codes in sorted(twice.items()))
        raise RuntimeError(
            f"{len(twice)} user(s) have memberships in several districts ({listed}). Delete all "
            "but one membership of each (admin or shell), then run the migrations again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0005_input_limits_and_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="membership", name="one_membership_per_district"),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(fields=("user",), name="membership_one_per_user"),
        ),
    ]
