"""'Export my child's service record': every due block of a date range with its outcome, as
CSV (exact rows, formula cells neutralised) and a dated PDF; up to three years back; only the
parent's own child (another child, another district's: 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from allocations.access.models import StudentAccess
from allocations.ledger.models import DeliveryRecord
from students.models import Guardian
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("allocations.portal.views.district_today", lambda *, district: TODAY)


def record(student, on, start, end, outcome, **extra):
    return DeliveryRecord.objects.create(
        district=student.district, date=on, student=student, student_code=student.code,
        mandate_code="M-AVA", school_code=student.school.code, setting="classroom",
        location="RM-1", start=start, end=end, outcome=outcome, **extra,
    )  # fmt: skip


@pytest.fixture
def ledger(student_a, student_b):
    """Ava: three current blocks in range, one before it, one replaced; Ben: one block."""
    f.MandateFactory(student=student_a, code="M-AVA")
    aide = f.AideFactory(district=student_a.district, name="Rosa Diaz")
    record(student_a, dt.date(2026, 11, 2), 480, 540, "delivered", aide=aide, aide_code=aide.code)
    record(student_a, dt.date(2026, 11, 2), 720, 750, "missed", cause="aide_absent")
    wrong = record(student_a, dt.date(2026, 11, 3), 480, 540, "delivered")
    DeliveryRecord.objects.filter(pk=wrong.pk).update(is_current=False)
    record(
        student_a, dt.date(2026, 11, 3), 480, 540, "unqualified", replaces=wrong, aide=aide,
        aide_code=aide.code, missing_qualifications="=SEIZURE;CPR", note="Rosa's cert lapsed",
    )  # fmt: skip
    record(student_a, dt.date(2025, 11, 20), 480, 540, "delivered")
    record(student_b, dt.date(2026, 11, 2), 480, 540, "missed", cause="vacancy")


def test_the_csv_lists_every_due_block_of_the_range_with_its_outcome(
    client, parent_of_student_a, student_a, ledger
):
    client.force_login(parent_of_student_a)

    response = client.get(
        reverse("family:record", args=[student_a.pk, "csv"]),
        {"since": "2026-11-01", "until": "2026-11-25"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="service-record-STU-A-2026-11-01-2026-11-25.csv"'
    )
    assert response.content.decode().splitlines() == [
        "Date,Start,End,Minutes,Service,Support,Setting,Place,Outcome,Why,Training missing,"
        "Staffed by",
        "2026-11-02,8:00,9:00,60,M-AVA,1:1 aide (one aide for your child alone),Classroom,RM-1,"
        "Delivered,,,Rosa",
        "2026-11-02,12:00,12:30,30,M-AVA,1:1 aide (one aide for your child alone),Classroom,RM-1,"
        "Missed,The aide was absent,,",
        "2026-11-03,8:00,9:00,60,M-AVA,1:1 aide (one aide for your child alone),Classroom,RM-1,"
        'Covered by someone without the required training,,"\'=SEIZURE, CPR",Rosa',
    ]
    assert "lapsed" not in response.content.decode()
    assert list(StudentAccess.objects.values_list("student_code", "what", "door")) == [
        ("STU-A", "service record CSV 2026-11-01 to 2026-11-25", "export")
    ]


def test_the_default_range_is_the_last_twelve_months(
    client, parent_of_student_a, student_a, ledger
):
    client.force_login(parent_of_student_a)

    response = client.get(reverse("family:record", args=[student_a.pk, "csv"]))

    # 2025-11-20 is a year and five days back: outside the default range.
    assert [line[:10] for line in response.content.decode().splitlines()[1:]] == [
        "2026-11-02", "2026-11-02", "2026-11-03",
    ]  # fmt: skip
    assert response["Content-Disposition"].endswith('2025-11-26-2026-11-25.csv"')


def test_the_pdf_is_a_dated_document(client, parent_of_student_a, student_a, ledger):
    client.force_login(parent_of_student_a)

    response = client.get(
        reverse("family:record", args=[student_a.pk, "pdf"]),
        {"since": "2023-11-25", "until": "2026-11-25"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert StudentAccess.objects.get().what == "service record PDF 2023-11-25 to 2026-11-25"


@pytest.mark.parametrize(
    ("since", "until", "why"),
    [
        ("2023-11-24", "2026-11-25", "The record can start on Nov. 25, 2023 at the earliest."),
        ("2026-11-02", "2026-11-26", "The record ends today at the latest."),
        ("2026-11-03", "2026-11-02", "The first day must not be after the last day."),
        ("yesterday", "", "Give the dates as YYYY-MM-DD."),
    ],
)
def test_a_range_that_cannot_be_made_is_a_400_that_says_why(
    client, parent_of_student_a, student_a, ledger, since, until, why
):
    client.force_login(parent_of_student_a)

    response = client.get(
        reverse("family:record", args=[student_a.pk, "csv"]), {"since": since, "until": until}
    )

    assert response.status_code == 400
    assert why in response.content.decode()
    assert StudentAccess.objects.count() == 0


def test_another_child_or_another_districts_child_is_a_404(
    client, parent_of_student_a, student_a, student_b, school_a, ledger
):
    classmate = f.StudentFactory(school=school_a, code="STU-C")
    client.force_login(parent_of_student_a)

    pages = [
        client.get(reverse("family:record", args=[child.pk, fmt])).status_code
        for child in (classmate, student_b)
        for fmt in ("csv", "pdf")
    ]
    unknown_format = client.get(reverse("family:record", args=[student_a.pk, "xlsx"]))

    assert pages == [404, 404, 404, 404]
    assert unknown_format.status_code == 404
    assert StudentAccess.objects.count() == 0


def test_a_parent_of_a_child_in_another_district_exports_that_childs_record_only(
    client, student_b, ledger
):
    parent = f.UserFactory(username="parent_b")
    Guardian.objects.create(district=student_b.district, user=parent, student=student_b)
    client.force_login(parent)

    response = client.get(
        reverse("family:record", args=[student_b.pk, "csv"]), {"since": "2026-11-01"}
    )

    assert response.content.decode().splitlines()[1:] == [
        "2026-11-02,8:00,9:00,60,M-AVA,,Classroom,RM-1,Missed,The position was vacant,,"
    ]
