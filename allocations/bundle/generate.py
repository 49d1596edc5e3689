"""A realistic synthetic district bundle, deterministic for a size and a seed.

Bell schedules per school type; 1:1 and shared mandates (shared groups share a room and times)
with required qualifications; aides with unpaid breaks, part-time days and floaters across
schools; qualifications that expire; agency contracts with caps and end dates; absences (whole
and partial days) and closures; and fewer aides than the mandates need. Rows are streamed to the
CSV writers, so an xl district takes seconds and little memory. No Django here.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from contextlib import ExitStack
from pathlib import Path

from allocations.bundle.profiles import (
    BELLS,
    FIRST,
    LAST,
    PROFILES,
    QUALS_WEIGHTED,
    SIZES,
    Bell,
    Profile,
    hm,
)
from staffing.timeofday import WEEKDAYS, format_hhmm

# SIZES and PROFILES live in profiles; the command imports them from here.
__all__ = ["HEADERS", "PROFILES", "SIZES", "generate"]

HEADERS = {
    "schools.csv": ["school_code", "name"],
    "closures.csv": ["date", "school_code", "reason"],
    "contracts.csv": [
        "contract_code",
        "agency",
        "starts_on",
        "ends_on",
        "weekly_minute_cap",
        "hourly_rate",
    ],
    "aides.csv": ["aide_code", "name", "employer", "schools", "max_weekly_minutes", "hourly_cost"],
    "aide_qualifications.csv": ["aide_code", "qualification", "expires_on"],
    "aide_availability.csv": ["aide_code", "weekday", "start", "end"],
    "students.csv": ["student_code", "school_code", "first_name", "last_name", "grade"],
    "mandates.csv": [
        "mandate_code",
        "student_code",
        "support",
        "max_group",
        "setting",
        "location",
        "weekday",
        "start",
        "end",
        "required_qualifications",
        "starts_on",
        "ends_on",
    ],
    "absences.csv": ["aide_code", "date", "start", "end", "reason"],
}


class _Writers:
    def __init__(self, out: Path, stack: ExitStack) -> None:
        self.counts = dict.fromkeys(HEADERS, 0)
        self._w = {}
        for name, header in HEADERS.items():
            fh = stack.enter_context((out / name).open("w", newline="", encoding="utf-8"))
            self._w[name] = csv.writer(fh, lineterminator="\n")
            self._w[name].writerow(header)

    def row(self, name: str, *values: object) -> None:
        self._w[name].writerow(["" if v is None else v for v in values])
        self.counts[name] += 1


def _pick_quals(rng: random.Random, most: int) -> list[str]:
    return [q for q, p in QUALS_WEIGHTED if rng.random() < p][:most]


def generate(
    out: Path,
    *,
    size: str,
    seed: int,
    code: str,
    week: dt.date,
    name: str | None = None,
    profile: str = "standard",
) -> dict[str, int]:
    """Write a bundle for the week starting Monday `week` into `out`; return rows per file."""
    if size not in SIZES:
        raise ValueError(f"unknown size '{size}' (choose from {', '.join(SIZES)})")
    if profile not in PROFILES:
        raise ValueError(f"unknown profile '{profile}' (choose from {', '.join(PROFILES)})")
    shape = PROFILES[profile]
    if week.weekday() != 0:
        raise ValueError(f"week {week} is not a Monday")
    rng = random.Random(f"{size}:{seed}" if profile == "standard" else f"{size}:{seed}:{profile}")
    n_schools, per_school, aide_ratio = SIZES[size]
    out.mkdir(parents=True, exist_ok=True)
    district = {
        "code": code,
        "name": name or f"{code.title()} Unified",
        "timezone": "America/Chicago",
    }
    (out / "district.json").write_text(json.dumps(district) + "\n", encoding="utf-8")
    with ExitStack() as stack:
        w = _Writers(out, stack)
        schools = [f"{['ES', 'ES', 'MS', 'HS'][i % 4]}{i:04d}" for i in range(n_schools)]
        for s in schools:
            w.row("schools.csv", s, f"{s[:2]} School {int(s[2:])}")
        w.row("closures.csv", (week + dt.timedelta(days=3)).isoformat(), "", "Thanksgiving")
        if n_schools > 1:
            snow = schools[rng.randrange(n_schools)]
            w.row("closures.csv", (week + dt.timedelta(days=4)).isoformat(), snow, "snow day")
        contracts = _contracts(w, rng, n_schools, week, shape)
        total_students = round(n_schools * per_school)
        student_counts = _spread(total_students, n_schools, rng)
        aide_no = mandate_no = 0
        for index, school in enumerate(schools):
            bell = BELLS[school[:2]]
            mandate_no = _students_and_mandates(
                w, rng, school, bell, student_counts[index], mandate_no, week, shape
            )
            n_aides = max(2, round(student_counts[index] * aide_ratio))
            for _ in range(n_aides):
                aide_no += 1
                _aide(
                    w,
                    rng,
                    f"A{aide_no:05d}",
                    (index, schools),
                    bell,
                    contracts,
                    week,
                    shape,
                    aide_no == 1,
                )
    return w.counts


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    base = [total // parts] * parts
    for i in rng.sample(range(parts), total - sum(base)):
        base[i] += 1
    return base


def _contracts(
    w: _Writers, rng: random.Random, n_schools: int, week: dt.date, shape: Profile
) -> list[str]:
    codes = []
    count = max(1, n_schools // shape.schools_per_contract)
    for i in range(count):
        code = f"C{i:03d}"
        ends = week + dt.timedelta(days=1) if i == 0 else dt.date(week.year + 1, 6, 15)
        staff_estimate = max(1, round(n_schools * 12 * shape.contract_staff / count))
        cap = int(staff_estimate * 1800 * rng.uniform(*shape.contract_cap)) // 15 * 15
        agency = ["Sunrise Staffing", "Northside Cooperative", "Bright Path Agency"][i % 3]
        w.row(
            "contracts.csv",
            code,
            agency,
            dt.date(week.year, 8, 15).isoformat(),
            ends.isoformat(),
            cap,
            f"{rng.uniform(38, 52):.2f}",
        )
        codes.append(code)
    return codes


def _students_and_mandates(
    w: _Writers,
    rng: random.Random,
    school: str,
    bell: Bell,
    count: int,
    mandate_no: int,
    week: dt.date,
    shape: Profile,
) -> int:
    students = []
    for n in range(count):
        code = f"{school}-S{n:03d}"
        w.row(
            "students.csv",
            code,
            school,
            rng.choice(FIRST),
            rng.choice(LAST),
            rng.choice(bell.grades),
        )
        students.append(code)
    one_to_one = [s for s in students if rng.random() < 0.4]
    shared = [s for s in students if s not in one_to_one]
    room = 100 + rng.randrange(10) * 10

    def dates() -> tuple[str, str]:
        r = rng.random()
        if r < shape.iep_starts:  # a new IEP that starts on Thursday (hard: Tuesday-Thursday)
            return (week + dt.timedelta(days=_midweek(rng, shape, 3))).isoformat(), ""
        if r < shape.iep_ends:  # an IEP that ends on Tuesday (or Wednesday)
            last = week + dt.timedelta(days=_midweek(rng, shape, 1))
            return dt.date(week.year, 2, 1).isoformat(), last.isoformat()
        return dt.date(week.year, rng.randint(1, 9), rng.randint(1, 28)).isoformat(), ""

    def blocks(
        mandate: str,
        student: str,
        support: str,
        group: str,
        quals: str,
        periods: list[tuple[str, str, int, int]],
        location: str,
    ) -> None:
        starts_on, ends_on = dates() if support == "one_to_one" else shared_dates
        days = range(5) if rng.random() < 0.85 else sorted(rng.sample(range(5), 3))
        for setting, loc_kind, start, end in periods:
            loc = location if loc_kind == "room" else loc_kind
            for day in days:
                w.row(
                    "mandates.csv",
                    mandate,
                    student,
                    support,
                    group,
                    setting,
                    loc,
                    WEEKDAYS[day],
                    format_hhmm(start),
                    format_hhmm(end),
                    quals,
                    starts_on,
                    ends_on,
                )

    for student in one_to_one:
        mandate_no += 1
        quals = ";".join(_pick_quals(rng, 2)) if rng.random() < 0.35 else ""
        periods = list(bell.periods)
        chosen = sorted(
            rng.sample(periods, k=min(len(periods), rng.randint(2, 4))), key=lambda p: p[2]
        )
        if "PERSONAL_CARE" not in quals:
            chosen = [p for p in chosen if p[0] != "personal_care"] or chosen[:1]
        blocks(
            f"M{mandate_no:06d}",
            student,
            "one_to_one",
            "",
            quals,
            chosen,
            f"RM-{room + rng.randrange(8)}",
        )
    rng.shuffle(shared)
    while shared:
        size = min(len(shared), rng.randint(2, 5))
        group, shared = shared[:size], shared[size:]
        location = f"RM-{room + rng.randrange(8)}"
        periods = [
            p
            for p in bell.periods
            if p[0] in {"classroom", "lunch", "recess", "specials", "transition", "community"}
        ]
        chosen = sorted(
            rng.sample(periods, k=min(len(periods), rng.randint(1, 2))), key=lambda p: p[2]
        )
        shared_dates = (dt.date(week.year, rng.randint(1, 9), rng.randint(1, 28)).isoformat(), "")
        if shape.shared_dates and rng.random() < shape.shared_dates:
            shared_dates = dates()
        base_group = rng.randint(2, 6)
        for student in group:
            mandate_no += 1
            max_group = base_group if rng.random() < 0.85 else rng.randint(2, 6)
            quals = (
                "BEHAVIOR" if rng.random() < 0.15 else ("SPANISH" if rng.random() < 0.05 else "")
            )
            blocks(f"M{mandate_no:06d}", student, "shared", str(max_group), quals, chosen, location)
    return mandate_no


def _midweek(rng: random.Random, shape: Profile, standard_day: int) -> int:
    """A day inside the week: the standard profile's fixed day, or Tuesday to Thursday."""
    return rng.randint(1, 3) if shape.any_midweek else standard_day


def _neighbours(index: int, schools: list[str], shape: Profile) -> list[str]:
    """The schools a floater of this school may also serve: its neighbours in the list, or
    the other schools of its zone."""
    if shape.zone:
        first = index - index % shape.zone
        zone = range(first, min(first + shape.zone, len(schools)))
        return [schools[j] for j in zone if j != index]
    return [schools[j] for j in (index - 1, index + 1) if 0 <= j < len(schools) and j != index]


def _aide(
    w: _Writers,
    rng: random.Random,
    code: str,
    where: tuple[int, list[str]],
    bell: Bell,
    contracts: list[str],
    week: dt.date,
    shape: Profile,
    surely_absent: bool = False,
) -> None:
    index, schools = where
    home = schools[index]
    others = _neighbours(index, schools, shape)
    floater = others and rng.random() < shape.floater
    mine = sorted({home, *rng.sample(others, k=rng.randint(1, len(others)))}) if floater else [home]
    employer = rng.choice(contracts) if rng.random() < shape.contract_staff else "district"
    start, end = bell.day
    part_time = rng.random() < 0.15
    days = sorted(rng.sample(range(5), 3)) if part_time and rng.random() < 0.5 else list(range(5))
    if part_time and len(days) == 5:
        end = start + (end - start) // 2 // 15 * 15
    total = 0
    lunch = rng.choice([hm("11:00"), hm("11:30"), hm("12:00"), hm("12:30")])
    for day in days:
        windows = (
            [(start, end)]
            if end - start < 300 or not start < lunch < end - 30
            else [(start, lunch), (lunch + 30, end)]
        )
        for a, b in windows:
            w.row("aide_availability.csv", code, WEEKDAYS[day], format_hhmm(a), format_hhmm(b))
            total += b - a
    max_minutes = (
        total
        if rng.random() < shape.uncapped
        else int(total * rng.uniform(*shape.capped_share)) // 15 * 15
    )
    w.row(
        "aides.csv",
        code,
        f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        employer,
        ";".join(mine),
        max_minutes,
        f"{rng.uniform(18, 32):.2f}",
    )
    for qual in _pick_quals(rng, 3):
        r = rng.random()
        if r < 0.6:
            expires = ""
        elif r < shape.expiring[0]:  # expires mid-week: valid Monday and Tuesday only
            expires = (week + dt.timedelta(days=_midweek(rng, shape, 1))).isoformat()
        elif r < shape.expiring[1]:
            expires = (week - dt.timedelta(days=rng.randint(1, 60))).isoformat()
        else:
            expires = (week + dt.timedelta(days=rng.randint(30, 700))).isoformat()
        w.row("aide_qualifications.csv", code, qual, expires)
    for day in days:
        # The district's first aide always misses part of a day, so even a tiny district has one.
        if rng.random() < shape.absent or (surely_absent and day == days[-1]):
            on = (week + dt.timedelta(days=day)).isoformat()
            if rng.random() < shape.whole:
                w.row("absences.csv", code, on, "", "", rng.choice(["sick", "personal", "family"]))
            else:
                a = start + 60 * rng.randint(0, 2)
                w.row("absences.csv", code, on, format_hhmm(a), format_hhmm(a + 120), "appointment")
