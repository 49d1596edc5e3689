"""The admin side of absences and alerts: an absence saved re-plans in a worker, an overlapping
or foreign one is refused, case managers acknowledge and resolve, other districts get a 404."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from allocations.models import Alert, PlanRepair
from staffing.models import Absence, Aide
from tests import factories as f

from .conftest import TUESDAY, aide, plan


@pytest.fixture
def cm(week, school_a):
    member = f.MembershipFactory(
        district=week, user=f.UserFactory(username="cm_admin", is_staff=True)
    )
    member.schools.add(school_a)
    return member.user


def add_absence(client, aide_row, **extra):
    data = {"aide": aide_row.pk, "date": "2026-11-24", "start": "", "end": "", "reason": "sick"}
    return client.post(reverse("admin:staffing_absence_add"), data | extra)


def test_an_absence_saved_in_the_admin_re_plans_the_day(
    client, cm, week, django_capture_on_commit_callbacks
):
    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_absence(client, Aide.objects.get(code="AIDE-1"))
    assert response.status_code == 302
    assert PlanRepair.objects.get().trigger == "absence recorded by cm_admin"
    assert plan(week, TUESDAY) == [
        (TUESDAY, "AIDE-2", "M-GRP", 600, 660),
        (TUESDAY, "AIDE-2", "M-MED", 540, 600),
    ]
    # Deleting it: AIDE-1 had nothing left planned that day and nothing is unstaffed, so the
    # plan stays as it is (a return never moves a substitute who is already there).
    absence = Absence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:staffing_absence_delete", args=[absence.pk]), {"post": "yes"})
    assert Absence.objects.count() == 0
    assert (
        PlanRepair.objects.count() == 1
    )  # nothing unstaffed, nothing planned for AIDE-1: no re-plan


def test_overlapping_and_foreign_absences_are_refused_in_the_admin(
    client, cm, week, district_b, school_b
):
    client.force_login(cm)
    first = Aide.objects.get(code="AIDE-1")
    Absence.objects.create(district=week, aide=first, date=TUESDAY, start=540, end=600)
    response = add_absence(client, first, start="09:30", end="11:00")
    assert response.status_code == 200
    assert "already absent on 2026-11-24 09:00-10:00" in response.content.decode()
    foreign = aide(district_b, school_b, "AIDE-B", "20.00")
    response = add_absence(client, foreign)
    assert response.status_code == 200
    assert Absence.objects.count() == 1
    assert PlanRepair.objects.count() == 0


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
