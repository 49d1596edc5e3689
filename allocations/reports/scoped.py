"""A stored report as one reader may see it: the whole district for a director (or a case
manager limited to nothing), only their schools and caseload for a case manager. Every total is
summed here from the rows shown, so the page, report.csv and report.pdf say the same thing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from allocations.labels import cause_label
from allocations.reports.ledger import LEDGER_KEYS
from staffing.tenancy import Scope

CSV_COLUMNS = [
    "school_code",
    "setting",
    "support",
    "due_minutes",
    "staffed_minutes",
    "unstaffed_minutes",
]
STUDENTS_SHOWN = 15


@dataclass(frozen=True)
class Minutes:
    label: str
    due: int
    staffed: int

    @property
    def unstaffed(self) -> int:
        return self.due - self.staffed

    @property
    def coverage(self) -> float | None:
        return self.staffed / self.due if self.due else None


@dataclass(frozen=True)
class Reader:
    """What a reader may see: every school (None), or these school codes and student ids."""

    school_codes: frozenset[str] | None = None
    student_ids: frozenset[int] = frozenset()

    @property
    def whole(self) -> bool:
        return self.school_codes is None

    def school(self, code: str) -> bool:
        return self.school_codes is None or code in self.school_codes

    def student(self, student_id: int, school_code: str) -> bool:
        return self.school(school_code) or student_id in self.student_ids


def reader_of(scope: Scope | None, content: dict[str, Any]) -> Reader:
    if scope is None or not scope.limits_students:
        return Reader()
    codes = {
        code
        for code, school in content.get("schools", {}).items()
        if school["id"] in scope.school_ids
    }
    return Reader(frozenset(codes), scope.caseload_ids)


def _sum(cells: Iterable[list[int]], width: int) -> list[int]:
    total = [0] * width
    for cell in cells:
        for i in range(width):
            total[i] += cell[i]
    return total


@dataclass
class ReportView:
    week_start: dt.date
    district: dict[str, str]
    school_names: dict[str, str]
    whole: bool
    rows: list[list[Any]]
    total: Minutes
    safety: Minutes
    schools: list[Minutes]
    settings: list[Minutes]
    supports: list[Minutes]
    days: list[dt.date]
    heat: list[tuple[str, list[Minutes]]]
    causes: list[tuple[str, str, int]]
    students: list[dict[str, Any]]
    hiring: dict[str, Any]
    contracts: list[dict[str, Any]] = field(default_factory=list)
    cost: str = ""
    contract_minutes: int = 0
    ledger: dict[str, Any] = field(default_factory=dict)
    trend: list[dict[str, Any]] = field(default_factory=list)


def _grouped(rows: list[list[Any]], index: int) -> list[Minutes]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        sums[row[index]][0] += row[3]
        sums[row[index]][1] += row[4]
    return [Minutes(key, due, staffed) for key, (due, staffed) in sorted(sums.items())]


def _ledger(content: dict[str, Any], reader: Reader) -> dict[str, Any]:
    ledger = content["ledger"]
    shown = [
        v
        for code, v in ledger["by_school"].items()
        if reader.school(code) and (code or reader.whole)
    ]
    totals = {key: sum(v[key] for v in shown) for key in LEDGER_KEYS}
    return {
        "since": dt.date.fromisoformat(ledger["since"]),
        "until": dt.date.fromisoformat(ledger["until"]),
        **totals,
    }


def _trend(content: dict[str, Any], reader: Reader) -> list[dict[str, Any]]:
    trend = content["trend"]
    shown = [
        cells
        for code, cells in trend["by_school"].items()
        if reader.school(code) and (code or reader.whole)
    ]
    out = []
    for i, week in enumerate(trend["weeks"]):
        due, staffed, delivered, missed = _sum((cells[i] for cells in shown), 4)
        out.append(
            {
                "week_start": dt.date.fromisoformat(week),
                "planned": week in trend["planned"],
                "due": due,
                "staffed": staffed,
                "coverage": staffed / due if due else None,
                "delivered": delivered,
                "missed": missed,
                "delivery": delivered / (delivered + missed) if delivered + missed else None,
            }
        )
    return out


def _hiring(content: dict[str, Any], reader: Reader) -> dict[str, Any]:
    hiring = content["hiring"]
    needs = []
    for need in hiring["needs"]:
        if not reader.school(need["school_code"]):
            continue
        quals = ", ".join(need["qualifications"]) or "no particular qualification"
        needs.append(
            {
                **need,
                "school_name": content["schools"].get(need["school_code"], {}).get("name", ""),
                "holding": quals,
                "sentences": [
                    f"{n} more aide{'s' if n > 1 else ''} with {quals} at {need['school_code']}, "
                    f"{hiring['shift']}, would cover {covered:,} of the "
                    f"{need['unstaffed_minutes']:,} unstaffed minutes"
                    for n, covered in need["options"]
                ],
            }
        )
    return {"shift": hiring["shift"], "method": hiring["method"], "needs": needs}


def report_view(content: dict[str, Any], reader: Reader) -> ReportView:
    rows = [row for row in content["rows"] if reader.school(row[0])]
    schools = content["schools"]
    days = [dt.date.fromisoformat(d) for d in content["days"]]
    heat_schools = [code for code in content["heat"] if reader.school(code)]
    safety_due, safety_staffed = _sum(
        (v for code, v in content["safety"].items() if reader.school(code)), 2
    )
    causes: dict[str, int] = defaultdict(int)
    for code, by_cause in content["causes"].items():
        if reader.school(code):
            for cause, minutes in by_cause.items():
                causes[cause] += minutes
    students = [s for s in content["students"] if reader.student(s["id"], s["school_code"])][
        :STUDENTS_SHOWN
    ]
    for s in students:
        s["cause_label"] = cause_label(s["cause"])
    total_due, total_staffed = sum(r[3] for r in rows), sum(r[4] for r in rows)
    view = ReportView(
        week_start=dt.date.fromisoformat(content["week_start"]),
        district=content["district"],
        school_names={code: school["name"] for code, school in schools.items()},
        whole=reader.whole,
        rows=rows,
        total=Minutes("total", total_due, total_staffed),
        safety=Minutes("safety tier", safety_due, safety_staffed),
        schools=sorted(
            (Minutes(m.label, m.due, m.staffed) for m in _grouped(rows, 0)),
            key=lambda m: (m.coverage if m.coverage is not None else 1.0, m.label),
        ),
        settings=_grouped(rows, 1),
        supports=_grouped(rows, 2),
        days=days,
        heat=[
            (
                code,
                [
                    Minutes(day.isoformat(), *content["heat"][code].get(day.isoformat(), [0, 0]))
                    for day in days
                ],
            )
            for code in heat_schools
        ],
        causes=sorted(
            ((c, cause_label(c), m) for c, m in causes.items()), key=lambda c: (-c[2], c[0])
        ),
        students=students,
        hiring=_hiring(content, reader),
        ledger=_ledger(content, reader),
        trend=_trend(content, reader),
    )
    if reader.whole:
        view.contracts = content["contracts"]
        view.cost = content["cost"]
        view.contract_minutes = content["contract_minutes"]
    return view
