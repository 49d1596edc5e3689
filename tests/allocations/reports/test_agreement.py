"""Every figure of the report agrees to the minute with `export_allocation` (shortfall.csv,
alerts.csv), the run and the delivery ledger, on a generated district with a closed past week
and an absence in the coming one."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command

from allocations.ledger.models import DeliveryRecord, MissedDaysNotice
from allocations.ledger.selectors import compensatory_balances, delivery_summary
from allocations.models import AllocationRun
from allocations.reports.render import view_of
from allocations.reports.scoped import Reader
from allocations.reports.services import report_build
from staffing.models import District

WEEK = dt.date(2026, 11, 23)
PAST = WEEK - dt.timedelta(days=7)


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def generated(db, tmp_path):
    bundle = tmp_path / "bundle"
    call_command(
        "generate_district",
        str(bundle),
        "--size",
        "small",
        "--seed",
        "7",
        "--code",
        "GEN",
        "--week",
        PAST.isoformat(),
    )
    call_command("import_district", str(bundle))
    for week in (PAST, WEEK):
        call_command("allocate", "--district", "GEN", "--week", week.isoformat())
    for n in range(5):
        call_command(
            "close_day", "--district", "GEN", "--date", (PAST + dt.timedelta(days=n)).isoformat()
        )
    call_command(
        "record_absence",
        "--district",
        "GEN",
        "--aide",
        "A00040",
        "--date",
        (WEEK + dt.timedelta(days=1)).isoformat(),
        "--reason",
        "sick",
    )
    call_command(
        "export_allocation",
        "--district",
        "GEN",
        "--week",
        WEEK.isoformat(),
        "--out",
        str(tmp_path / "export"),
    )
    district = District.objects.get(code="GEN")
    return (
        district,
        view_of(report_build(district=district, week_start=WEEK), Reader()),
        tmp_path / "export",
    )


@pytest.mark.django_db
def test_every_figure_agrees_with_the_exports_the_run_and_the_ledger(generated):
    """One district built once (a quarter of a minute), every agreement checked on it."""
    district, view, export = generated
    _plan_agrees(district, view, export)
    _causes_agree(view, export)
    _ledger_agrees(district, view)


def _plan_agrees(district, view, export):
    shortfall = _rows(export / "shortfall.csv")
    rows: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    heat: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in shortfall:
        key = (r["school_code"], r["setting"], r["support"])
        for i, column in enumerate(("due_minutes", "staffed_minutes", "unstaffed_minutes")):
            rows[key][i] += int(r[column])
        heat[(r["school_code"], r["date"])][0] += int(r["due_minutes"])
        heat[(r["school_code"], r["date"])][1] += int(r["staffed_minutes"])

    assert len(shortfall) > 100
    assert view.rows == [[*key, *value] for key, value in sorted(rows.items())]
    assert view.total.unstaffed == sum(int(r["unstaffed_minutes"]) for r in shortfall) > 0
    assert {
        (school, m.label): [m.due, m.staffed] for school, cells in view.heat for m in cells if m.due
    } == dict(heat)
    run = AllocationRun.objects.get(district=district, week_start=WEEK, is_current=True)
    assert (view.total.due, view.total.staffed) == (run.due_minutes, run.covered_minutes)
    assert (view.safety.due, view.safety.staffed) == (
        run.safety_due_minutes,
        run.safety_covered_minutes,
    )
    assert sum(c["used_minutes"] for c in view.contracts) == run.contract_minutes


def _causes_agree(view, export):
    causes: dict[str, int] = defaultdict(int)
    for r in _rows(export / "alerts.csv"):
        if r["status"] != "resolved":
            causes[r["cause"]] += int(r["unstaffed_minutes"])

    assert {value: minutes for value, _, minutes in view.causes} == dict(causes)
    assert sum(causes.values()) == view.total.unstaffed


def _ledger_agrees(district, view):
    student_ids = set(
        DeliveryRecord.objects.filter(district=district).values_list("student_id", flat=True)
    )
    summaries = [
        delivery_summary(
            district=district, student_id=pk, since=PAST, until=PAST + dt.timedelta(days=6)
        )
        for pk in student_ids
    ]
    ledger = view.ledger

    assert ledger["delivered_minutes"] == sum(s.delivered_minutes for s in summaries) > 0
    assert ledger["missed_minutes"] == sum(s.missed_minutes for s in summaries) > 0
    assert ledger["unqualified_minutes"] == sum(s.unqualified_minutes for s in summaries)
    owed = sum(b.owed for b in compensatory_balances(district=district))
    assert ledger["owed_minutes"] == owed == ledger["accrued_minutes"] - ledger["made_up_minutes"]
    assert (
        ledger["notices_due"]
        == MissedDaysNotice.objects.filter(
            district=district, parents_notified_on__isnull=True
        ).count()
    )
    past_run = AllocationRun.objects.get(district=district, week_start=PAST, is_current=True)
    assert view.trend[-2] | {"week_start": None, "coverage": None, "delivery": None} == {
        "week_start": None, "planned": True, "due": past_run.due_minutes,
        "staffed": past_run.covered_minutes, "coverage": None,
        "delivered": ledger["delivered_minutes"],
        "missed": ledger["missed_minutes"] + ledger["unqualified_minutes"], "delivery": None,
    }  # fmt: skip
    assert (view.trend[-1]["due"], view.trend[-1]["staffed"]) == (
        view.total.due,
        view.total.staffed,
    )
