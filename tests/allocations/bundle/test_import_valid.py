"""Importing valid bundles: exact rows, idempotent re-import, replacing, tenancy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from allocations.models import AllocationRun, Assignment
from staffing.models import (
    Absence,
    Aide,
    AideQualification,
    AvailabilityWindow,
    Closure,
    District,
    Membership,
    School,
)
from students.models import Guardian, MandateBlock, ParaMandate, Student
from tests import factories as f
from tests.allocations.bundle.bundles import FILES, write_bundle

pytestmark = pytest.mark.django_db


def _import(folder):
    call_command("import_district", str(folder), stdout=open("/dev/null", "w"))  # noqa: SIM115


def _snapshot(district):
    return {
        "schools": sorted(School.objects.filter(district=district).values_list("code", "name")),
        "aides": sorted(
            Aide.objects.filter(district=district).values_list(
                "code", "contract__code", "max_weekly_minutes", "hourly_cost"
            )
        ),
        "aide_schools": sorted(
            Aide.objects.filter(district=district).values_list("code", "schools__code")
        ),
        "quals": sorted(
            AideQualification.objects.filter(district=district).values_list(
                "aide__code", "qualification", "expires_on"
            )
        ),
        "windows": sorted(
            AvailabilityWindow.objects.filter(district=district).values_list(
                "aide__code", "weekday", "start", "end"
            )
        ),
        "students": sorted(
            Student.objects.filter(district=district).values_list("code", "school__code", "grade")
        ),
        "mandates": sorted(
            ParaMandate.objects.filter(district=district).values_list(
                "code", "student__code", "support", "max_group", "required_qualifications",
                "starts_on", "ends_on",
            )
        ),
        "blocks": sorted(
            MandateBlock.objects.filter(district=district).values_list(
                "mandate__code", "setting", "location", "weekday", "start", "end"
            )
        ),
        "closures": sorted(
            Closure.objects.filter(district=district).values_list("date", "school__code", "reason"),
            key=str,
        ),
        "absences": sorted(
            Absence.objects.filter(district=district).values_list(
                "aide__code", "date", "start", "end", "reason"
            ),
            key=str,
        ),
    }  # fmt: skip


def test_valid_bundle_imports_every_row_exactly(tmp_path):
    _import(write_bundle(tmp_path / "b"))

    district = District.objects.get(code="ALPHA")
    assert (district.name, district.timezone) == ("Alpha Unified", "America/Chicago")
    snap = _snapshot(district)
    assert snap["aides"] == [
        ("A1", None, 1800, Decimal("25.00")),
        ("A2", None, 2100, Decimal("27.40")),
        ("A3", "C1", 900, Decimal("0.00")),
    ]
    assert snap["aide_schools"] == [
        ("A1", "LINCOLN"), ("A2", "LINCOLN"), ("A2", "WASH"), ("A3", "WASH"),
    ]  # fmt: skip
    assert snap["quals"] == [("A1", "BEHAVIOR", None), ("A2", "MEDICAL", dt.date(2026, 11, 25))]
    assert snap["windows"] == [
        ("A1", 0, 450, 690),
        ("A1", 0, 720, 900),
        ("A2", 1, 480, 840),
        ("A3", 2, 540, 720),
    ]
    assert snap["mandates"] == [
        ("M1", "S1", "one_to_one", None, "BEHAVIOR", dt.date(2026, 9, 1), None),
        ("M2", "S2", "shared", 3, "", dt.date(2026, 11, 26), dt.date(2027, 6, 1)),
    ]
    assert snap["blocks"] == [
        ("M1", "classroom", "RM-100", 0, 480, 555),
        ("M1", "lunch", "cafeteria", 0, 690, 720),
        ("M2", "recess", "playground", 2, 600, 630),
    ]
    assert snap["closures"] == [
        (dt.date(2026, 11, 26), None, "holiday"), (dt.date(2026, 11, 27), "WASH", "snow"),
    ]  # fmt: skip
    assert snap["absences"] == [
        ("A1", dt.date(2026, 11, 23), None, None, "sick"),
        ("A2", dt.date(2026, 11, 24), 480, 600, "appointment"),
    ]


def test_reimporting_the_same_bundle_leaves_the_same_state(tmp_path):
    folder = write_bundle(tmp_path / "b")
    _import(folder)
    before = _snapshot(District.objects.get(code="ALPHA"))

    _import(folder)

    assert _snapshot(District.objects.get(code="ALPHA")) == before
    assert District.objects.filter(code="ALPHA").count() == 1


def test_reimport_with_changes_replaces_all_data(tmp_path):
    _import(write_bundle(tmp_path / "one"))
    changed = {
        "aides.csv": FILES["aides.csv"][:2],
        "aide_qualifications.csv": FILES["aide_qualifications.csv"][:2],
        "aide_availability.csv": FILES["aide_availability.csv"][:3],
        "absences.csv": FILES["absences.csv"][:2],
    }
    _import(write_bundle(tmp_path / "two", files=changed))

    district = District.objects.get(code="ALPHA")
    assert list(Aide.objects.filter(district=district).values_list("code", flat=True)) == ["A1"]
    assert AvailabilityWindow.objects.filter(district=district).count() == 2


def test_memberships_and_guardians_survive_a_reimport(tmp_path):
    folder = write_bundle(tmp_path / "b")
    _import(folder)
    district = District.objects.get(code="ALPHA")
    member = f.MembershipFactory(district=district)
    member.schools.add(School.objects.get(district=district, code="WASH"))
    Student.objects.get(district=district, code="S1").case_managers.add(member)
    parent = f.UserFactory(username="mom")
    Guardian.objects.create(
        district=district,
        user=parent,
        student=Student.objects.get(code="S1"),
        relationship="mother",
    )

    _import(folder)

    member = Membership.objects.get(pk=member.pk)
    assert list(member.schools.values_list("code", flat=True)) == ["WASH"]
    assert list(member.caseload.values_list("code", flat=True)) == ["S1"]
    assert list(
        Guardian.objects.values_list("user__username", "student__code", "relationship")
    ) == [("mom", "S1", "mother")]


def test_a_reimport_removes_the_districts_allocation_runs_and_no_others(tmp_path):
    folder = write_bundle(tmp_path / "a")
    _import(folder)
    _import(write_bundle(tmp_path / "b", district={"code": "BETA", "name": "B", "timezone": "UTC"}))
    for code in ("ALPHA", "BETA"):
        call_command("allocate", district=code, week="2026-11-30", stdout=StringIO())
    assert Assignment.objects.filter(district__code="ALPHA").count() == 1
    out = StringIO()

    call_command("import_district", str(folder), stdout=out)

    assert "  1 earlier allocation run(s) were removed" in out.getvalue()
    assert AllocationRun.objects.filter(district__code="ALPHA").count() == 0
    assert Assignment.objects.filter(district__code="ALPHA").count() == 0
    assert list(AllocationRun.objects.values_list("district__code", flat=True)) == ["BETA"]
    assert Assignment.objects.filter(district__code="BETA").count() == 1


def test_same_codes_in_two_districts_coexist_and_stay_apart(tmp_path):
    _import(write_bundle(tmp_path / "a"))
    other = {"code": "BETA", "name": "Beta Unified", "timezone": "America/New_York"}
    _import(write_bundle(tmp_path / "b", district=other))
    alpha_before = _snapshot(District.objects.get(code="ALPHA"))

    _import(write_bundle(tmp_path / "b2", district=other, files={"absences.csv": None}))

    assert _snapshot(District.objects.get(code="ALPHA")) == alpha_before
    assert School.objects.filter(code="LINCOLN").count() == 2
    assert Absence.objects.filter(district__code="BETA").count() == 0


def test_a_utf8_bom_and_extra_columns_are_accepted(tmp_path):
    folder = write_bundle(
        tmp_path / "b",
        files={
            "schools.csv": [
                "\ufeffschool_code,name,principal",
                "LINCOLN,Lincoln,Ms. Ray",
                "WASH,Wash,Mr. Li",
            ]
        },
    )
    _import(folder)
    assert sorted(School.objects.values_list("code", "name")) == [
        ("LINCOLN", "Lincoln"),
        ("WASH", "Wash"),
    ]
