"""The safety tier is the district's setting: the mandates' tier, the student figures and the
student page read the district's safety qualifications, each district its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from staffing.models import District
from students.models import ParaMandate, Student
from students.selectors import mandate_figures, students_with_figures
from tests import factories as f

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def seizure_district(district_a):
    District.objects.filter(pk=district_a.pk).update(safety_qualifications=["SEIZURE"])
    district_a.refresh_from_db()
    return district_a


def _shared(student, code, required):
    mandate = f.MandateFactory(
        student=student, code=code, support="shared", max_group=3, required_qualifications=required
    )
    f.BlockFactory(mandate=mandate, weekday=0, start=480, end=540)
    return mandate


def test_a_new_district_has_the_specs_default_and_the_setting_is_validated(db):
    district = District.objects.create(code="NEW", name="New")
    assert district.safety_qualifications == ["MEDICAL", "PERSONAL_CARE"]
    district.safety_qualifications = []
    district.full_clean()
    for wrong, message in [
        ("MEDICAL", "Give a list of qualification codes"),
        (["MEDICAL", 3], "Give a list of qualification codes"),
        (["MEDICAL", "MEDICAL"], "Give each qualification code once"),
        (["NOT A CODE"], "NOT A CODE.: Use 1-64 letters"),
    ]:
        district.safety_qualifications = wrong
        with pytest.raises(ValidationError, match=message):
            district.full_clean()


def test_mandates_are_in_the_tier_their_districts_setting_says(seizure_district, school_b):
    ours = f.StudentFactory(school=f.SchoolFactory(district=seizure_district), code="OURS")
    theirs = f.StudentFactory(school=school_b, code="THEIRS")
    _shared(ours, "M-SEIZ", "SEIZURE")
    _shared(ours, "M-MED", "MEDICAL;BEHAVIOR")
    _shared(theirs, "M-MED-B", "BEHAVIOR;MEDICAL")
    _shared(theirs, "M-SEIZ-B", "SEIZURE")

    assert sorted(
        (m.code, m.is_safety_tier) for m in ParaMandate.objects.select_related("district")
    ) == [("M-MED", False), ("M-MED-B", True), ("M-SEIZ", True), ("M-SEIZ-B", False)]
    # Both districts in one queryset (an operator's list): each reads its own setting.
    both = students_with_figures(Student.objects.filter(code__in=["OURS", "THEIRS"]), on=TODAY)
    assert sorted(both.values_list("code", "safety_tier")) == [("OURS", True), ("THEIRS", True)]
    ParaMandate.objects.filter(code__in=["M-SEIZ", "M-MED-B"]).delete()
    assert sorted(both.values_list("code", "safety_tier")) == [("OURS", False), ("THEIRS", False)]


def test_the_figures_count_the_districts_safety_tier_students(seizure_district, school_a):
    _shared(f.StudentFactory(school=school_a, code="S1"), "M-1", "SEIZURE")
    _shared(f.StudentFactory(school=school_a, code="S2"), "M-2", "MEDICAL")
    f.MandateFactory(student=f.StudentFactory(school=school_a, code="S3"), code="M-3")  # 1:1
    students = Student.objects.filter(district=seizure_district)

    figures = mandate_figures(district=seizure_district, students=students, on=TODAY)

    assert (figures.students_with_mandates, figures.safety_tier_students) == (3, 2)


def test_the_student_page_names_the_districts_safety_qualifications(
    client, director_a, seizure_district, student_a
):
    _shared(student_a, "M-SEIZ", "SEIZURE")
    client.force_login(director_a)

    page = client.get(reverse("admin:students_student_change", args=[student_a.pk]))

    assert "Safety tier: <strong" in page.content.decode()
    assert "</strong>: 1:1 or requires SEIZURE." in page.content.decode()
