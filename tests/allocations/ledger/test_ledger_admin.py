"""The delivery ledger in the admin: read-only rows, corrections through their own page, make-up
sessions, IEP-team decisions and parent notices, all within the user's district and scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from allocations.ledger.days import day_close
from allocations.ledger.models import CompensatoryEntry, DeliveryRecord, MissedDaysNotice
from staffing.models import Membership
from staffing.selectors import district_today
from tests import factories as f
from tests.allocations.ledger.test_ledger import MONDAY, TUESDAY, build_world, counts, record_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_monday(student_a):
    world = build_world(student_a)
    day_close(district=world["district"], on=MONDAY)
    return world


def correct_url(record):
    return reverse("admin:allocations_deliveryrecord_correct", args=[record.pk])


def change_url(record):
    return reverse("admin:allocations_deliveryrecord_change", args=[record.pk])


def test_the_record_page_is_read_only_and_offers_the_correction(client, director_a, closed_monday):
    record = record_of(closed_monday["district"], "M-1TO1", 480)
    client.force_login(director_a)

    page = client.get(change_url(record))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    text = page.content.decode()
    assert correct_url(record) in text
    assert "Not corrected: this is the record the day&#x27;s close wrote." in text
    assert client.get(reverse("admin:allocations_deliveryrecord_add")).status_code == 403
    listing = client.get(reverse("admin:allocations_deliveryrecord_changelist"), {"q": "STU-A2"})
    assert [r.mandate_code for r in listing.context["cl"].result_list] == ["M-SHARED", "M-SHARED"]


def test_a_director_corrects_a_record_and_the_history_shows_both_versions(
    client, director_a, closed_monday
):
    record = record_of(closed_monday["district"], "M-1TO1", 480)
    client.force_login(director_a)

    response = client.post(
        correct_url(record),
        {"outcome": "missed", "cause": "aide_absent", "aide": "", "note": "Mia went home ill."},
    )

    corrected = DeliveryRecord.objects.get(replaces=record)
    assert response.status_code == 302
    assert response["Location"] == change_url(corrected)
    assert (corrected.outcome, corrected.cause, corrected.aide_code, corrected.recorded_by) == (
        "missed",
        "aide_absent",
        "AIDE-MED",
        director_a,
    )
    text = client.get(change_url(corrected)).content.decode()
    assert "original" in text
    assert "correction 1</a> (this one)" in text
    assert "Mia went home ill." in text
    assert correct_url(record) not in client.get(change_url(record)).content.decode()


def test_the_correction_page_shows_the_services_refusal_and_changes_nothing(
    client, director_a, closed_monday
):
    record = record_of(closed_monday["district"], "M-1TO1", 480)
    client.force_login(director_a)
    before = counts()

    page = client.post(
        correct_url(record),
        {"outcome": "delivered", "aide": closed_monday["gen"].pk, "cause": "", "note": "Gus."},
    )

    assert page.status_code == 200
    assert page.context["form"].non_field_errors() == [
        "AIDE-GEN did not hold MEDICAL on 2026-11-16: record the service as unqualified."
    ]
    assert counts() == before


def test_another_districts_director_gets_a_404_and_nothing_changes(
    client, director_b, closed_monday
):
    record = record_of(closed_monday["district"], "M-1TO1", 480)
    client.force_login(director_b)
    before = counts()

    assert client.get(correct_url(record)).status_code == 404
    post = {"outcome": "missed", "cause": "other", "note": "Not mine."}
    assert client.post(correct_url(record), post).status_code == 404
    assert client.get(change_url(record)).status_code == 404
    assert counts() == before


def test_an_aide_of_another_district_is_not_a_choice(client, director_a, closed_monday, district_b):
    record = record_of(closed_monday["district"], "M-1TO1", 480)
    theirs = f.AideFactory(district=district_b, code="AIDE-B")
    client.force_login(director_a)
    before = counts()

    page = client.post(
        correct_url(record),
        {"outcome": "unqualified", "aide": theirs.pk, "cause": "", "note": "B's aide."},
    )

    assert page.status_code == 200
    assert "aide" in page.context["form"].errors
    assert counts() == before


def test_a_parent_cannot_reach_the_ledger_admin(client, parent_of_student_a, closed_monday):
    record = record_of(closed_monday["district"], "M-1TO1", 480)
    client.force_login(parent_of_student_a)
    before = counts()

    response = client.post(
        correct_url(record), {"outcome": "missed", "cause": "other", "note": "x"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert counts() == before


def test_a_case_manager_sees_only_the_ledger_of_their_schools(client, closed_monday):
    district = closed_monday["district"]
    member = f.MembershipFactory(
        district=district,
        user=f.UserFactory(username="cm_wash", is_staff=True),
        role=Membership.Role.CASE_MANAGER,
    )
    member.schools.set([f.SchoolFactory(district=district, code="WASH")])
    client.force_login(member.user)

    listing = client.get(reverse("admin:allocations_deliveryrecord_changelist"))

    assert listing.context["cl"].result_count == 0
    record = record_of(district, "M-1TO1", 480)
    assert client.get(correct_url(record)).status_code == 404


def test_a_makeup_session_is_added_against_the_balance(client, director_a, closed_monday):
    world = closed_monday
    client.force_login(director_a)
    url = reverse("admin:allocations_compensatoryentry_add")
    form = {
        "student": world["a2"].pk,
        "mandate": world["shared"].pk,
        "on": TUESDAY.isoformat(),
        "aide": world["gen"].pk,
        "note": "After school.",
    }

    over = client.post(url, {**form, "minutes": 45})
    assert over.status_code == 200
    assert over.context["form"].non_field_errors() == [
        "45 minutes is more than the 30 compensatory minutes STU-A2 is owed for M-SHARED."
    ]
    wrong = client.post(url, {**form, "mandate": world["one"].pk, "minutes": 10})
    assert wrong.context["form"].errors["mandate"] == ["M-1TO1 is not a mandate of STU-A2."]
    assert CompensatoryEntry.objects.filter(kind="makeup").count() == 0

    done = client.post(url, {**form, "minutes": 20})

    assert done.status_code == 302
    assert list(
        CompensatoryEntry.objects.filter(kind="makeup").values_list(
            "student_code", "mandate_code", "date", "minutes", "aide_code", "created_by"
        )
    ) == [("STU-A2", "M-SHARED", TUESDAY, 20, "AIDE-GEN", director_a.pk)]


def test_pending_accruals_are_approved_with_the_iep_teams_note(client, director_a, student_a):
    world = build_world(student_a)
    district = world["district"]
    district.compensatory_policy = "iep_team"
    district.save()
    day_close(district=district, on=MONDAY)
    pending = list(CompensatoryEntry.objects.order_by("pk").values_list("pk", flat=True))
    client.force_login(director_a)
    url = reverse("admin:allocations_compensatoryentry_changelist")
    chosen = {"action": "approve", "_selected_action": pending}

    confirm = client.post(url, {**chosen, "index": 0})
    assert confirm.status_code == 200
    assert "The IEP team" in confirm.content.decode()
    assert set(CompensatoryEntry.objects.values_list("status", flat=True)) == {"pending"}

    done = client.post(url, {**chosen, "apply": "1", "note": "IEP meeting 2026-11-20"})

    assert done.status_code == 302
    assert (
        list(CompensatoryEntry.objects.order_by("pk").values_list("status", "decided_by", "note"))
        == [("approved", director_a.pk, "IEP meeting 2026-11-20")] * 2
    )


def test_parents_are_marked_notified_from_the_notice_list(client, director_a, student_a):
    world = build_world(student_a)
    district = world["district"]
    district.missed_days_notice_threshold = 1
    district.save()
    day_close(district=district, on=MONDAY)
    client.force_login(director_a)
    notices = list(MissedDaysNotice.objects.order_by("student_code").values_list("pk", flat=True))

    response = client.post(
        reverse("admin:allocations_misseddaysnotice_changelist"),
        {"action": "mark_parents_notified", "_selected_action": notices, "index": 0},
    )

    assert response.status_code == 302
    today = district_today(district=district)
    assert list(
        MissedDaysNotice.objects.order_by("student_code").values_list(
            "student_code", "days", "parents_notified_on", "notified_by"
        )
    ) == [("STU-A2", 1, today, director_a.pk), ("STU-A3", 1, today, director_a.pk)]
