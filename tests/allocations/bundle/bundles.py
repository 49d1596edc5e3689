"""Writing small bundles for tests: a valid one by default, any file or row overridable."""

from __future__ import annotations

import json
from pathlib import Path

DISTRICT = {"code": "ALPHA", "name": "Alpha Unified", "timezone": "America/Chicago"}
FILES: dict[str, list[str]] = {
    "schools.csv": ["school_code,name", "LINCOLN,Lincoln Elementary", "WASH,Washington Middle"],
    "contracts.csv": [
        "contract_code,agency,starts_on,ends_on,weekly_minute_cap,hourly_rate",
        "C1,Sunrise Staffing,2026-08-15,2026-11-24,600,45.50",
    ],
    "aides.csv": [
        "aide_code,name,employer,schools,max_weekly_minutes,hourly_cost",
        "A1,Ann Lee,district,LINCOLN,1800,25.00",
        "A2,Bo Diaz,district,LINCOLN;WASH,2100,27.40",
        "A3,Cy Park,C1,WASH,900,0",
    ],
    "aide_qualifications.csv": [
        "aide_code,qualification,expires_on",
        "A1,BEHAVIOR,",
        "A2,MEDICAL,2026-11-25",
    ],
    "aide_availability.csv": [
        "aide_code,weekday,start,end",
        "A1,mon,07:30,11:30",
        "A1,mon,12:00,15:00",
        "A2,tue,08:00,14:00",
        "A3,wed,09:00,12:00",
    ],
    "students.csv": [
        "student_code,school_code,first_name,last_name,grade",
        "S1,LINCOLN,Ava,Stone,3",
        "S2,WASH,Ben,Ross,K",
    ],
    "mandates.csv": [
        "mandate_code,student_code,support,max_group,setting,location,weekday,start,end,"
        "required_qualifications,starts_on,ends_on",
        "M1,S1,one_to_one,,classroom,RM-100,mon,08:00,09:15,BEHAVIOR,2026-09-01,",
        "M1,S1,one_to_one,,lunch,cafeteria,mon,11:30,12:00,BEHAVIOR,2026-09-01,",
        "M2,S2,shared,3,recess,playground,wed,10:00,10:30,,2026-11-26,2027-06-01",
    ],
    "closures.csv": ["date,school_code,reason", "2026-11-26,,holiday", "2026-11-27,WASH,snow"],
    "absences.csv": [
        "aide_code,date,start,end,reason",
        "A1,2026-11-23,,,sick",
        "A2,2026-11-24,08:00,10:00,appointment",
    ],
}


def write_bundle(
    folder: Path,
    *,
    district: dict[str, str] | None = None,
    files: dict[str, list[str] | None] | None = None,
) -> Path:
    """Write the default bundle with `files` replacing whole files (None removes a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "district.json").write_text(json.dumps(district or DISTRICT), encoding="utf-8")
    chosen: dict[str, list[str] | None] = {**FILES, **(files or {})}
    for name, lines in chosen.items():
        if lines is not None:
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def with_row(name: str, row: str) -> dict[str, list[str] | None]:
    """The default file `name` with one more row at its end."""
    return {name: [*FILES[name], row]}
