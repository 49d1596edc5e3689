"""The admin side of alerts: case managers acknowledge and resolve, other districts get a 404.
(Absences in the admin: test_absence_admin.py.)"""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from allocations.models import Alert
from tests import factories as f


@pytest.fixture
def cm(week, school_a):
    member = f.MembershipFactory(
        district=week, user=f.UserFactory(username="cm_admin", is_staff=True)
    )
    member.schools.add(school_a)
    return member.user


@pytest.fixture
def gap(week):
    from django.core.management import call_command

    for code in ("AIDE-1", "AIDE-2"):
        call_command(
            "record_absence", "--district", "ALPHA", "--aide", code, "--date", "2026-11-24"
        )
    return Alert.objects.get(severity="critical")


def test_case_manager_acknowledges_then_resolves_with_a_note(client, cm, gap):
    client.force_login(cm)
    url = reverse("admin:allocations_alert_change", args=[gap.pk])
    page = client.get(url).content.decode()
    assert "60 min of classroom support unstaffed" in page
    client.post(url, {"decision": "acknowledge", "note": ""})
    gap.refresh_from_db()
    assert (gap.status, gap.acknowledged_by) == ("acknowledged", cm)
    response = client.post(url, {"decision": "resolve", "note": ""})
    gap.refresh_from_db()
    assert gap.status == "acknowledged"
    assert "Say how it was resolved" in client.get(response["Location"]).content.decode()
    client.post(url, {"decision": "resolve", "note": "Nurse Kim covered 09:00-10:00"})
    gap.refresh_from_db()
    assert (gap.status, gap.resolved_by, gap.resolution_note) == (
        "resolved",
        cm,
        "Nurse Kim covered 09:00-10:00",
    )


def test_another_districts_director_cannot_see_or_resolve_the_alert(client, director_b, gap):
    client.force_login(director_b)
    url = reverse("admin:allocations_alert_change", args=[gap.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "resolve", "note": "mine now"}).status_code == 404
    listing = client.get(reverse("admin:allocations_alert_changelist")).content.decode()
    assert "Ava" not in listing
    gap.refresh_from_db()
    assert (gap.status, gap.resolution_note) == ("open", "")


def test_a_parent_cannot_reach_alerts(client, parent_of_student_a, gap):
    client.force_login(parent_of_student_a)
    url = reverse("admin:allocations_alert_change", args=[gap.pk])
    assert client.post(url, {"decision": "resolve", "note": "x"}).status_code == 302
    gap.refresh_from_db()
    assert gap.status == "open"


def test_the_dashboard_lists_only_the_case_managers_students_alerts(client, week, gap, school_a):
    elsewhere = f.SchoolFactory(district=week, code="ROOSEVELT")
    other = f.MembershipFactory(district=week, user=f.UserFactory(username="cm_roosevelt"))
    other.schools.add(elsewhere)
    client.force_login(other.user)
    page = client.get(reverse("allocations:dashboard"), {"week": "2026-11-23"}).content.decode()
    assert "Ava Alpha" not in page
    assert "No open alerts." in page
    lincoln = f.MembershipFactory(district=week, user=f.UserFactory(username="cm_lincoln2"))
    lincoln.schools.add(school_a)
    client.force_login(lincoln.user)
    page = client.get(reverse("allocations:dashboard"), {"week": "2026-11-23"}).content.decode()
    assert "Ava Alpha (STU-A): 60 min of classroom support unstaffed" in page


def test_the_bulk_acknowledge_action_acknowledges_the_selected_open_alerts_of_ones_district(
    client, director_a, gap, district_b
):
    normal = Alert.objects.get(severity="normal")
    resolved = Alert.objects.create(
        district=gap.district, key="unstaffed:closed", kind="unstaffed", severity="high",
        cause="vacancy", status="resolved", title="Closed", opened_at=gap.opened_at,
    )  # fmt: skip
    theirs = Alert.objects.create(
        district=district_b, key=gap.key, kind="unstaffed", severity="critical",
        cause="aide_absent", title="Beta's gap", opened_at=gap.opened_at,
    )  # fmt: skip
    before = model_to_dict(theirs) | {"updated_at": theirs.updated_at}
    client.force_login(director_a)

    response = client.post(
        reverse("admin:allocations_alert_changelist"),
        {"action": "acknowledge", "_selected_action": [gap.pk, normal.pk, resolved.pk, theirs.pk]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["2 alert(s) acknowledged."]
    assert sorted(
        Alert.objects.values_list("district__code", "key", "status", "acknowledged_by__username")
    ) == [
        ("ALPHA", gap.key, "acknowledged", "director_a"),
        ("ALPHA", normal.key, "acknowledged", "director_a"),
        ("ALPHA", "unstaffed:closed", "resolved", None),
        ("BETA", gap.key, "open", None),
    ]
    theirs.refresh_from_db()
    assert model_to_dict(theirs) | {"updated_at": theirs.updated_at} == before
