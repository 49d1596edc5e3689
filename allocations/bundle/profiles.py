"""The synthetic district's shapes: its sizes, how messy each profile is, the schools' bell
schedules and the names and qualifications it draws from. Plain data; the generator draws from
it in `allocations.bundle.generate`."""

from __future__ import annotations

from dataclasses import dataclass

# size: (schools, students per school, aides per student)
SIZES: dict[str, tuple[int, float, float]] = {
    "tiny": (2, 7.5, 0.67),
    "small": (4, 17.5, 0.65),
    "medium": (40, 20, 0.6),
    "large": (250, 20, 0.6),
    "xl": (1000, 20, 0.6),
}


@dataclass(frozen=True)
class Profile:
    """How messy the district is. `standard` is the generator's original district; `hard`
    makes the week's caps bind: aides capped below their availability, contracts capped well
    below what their staff could work, floaters across two or three schools of a zone,
    qualifications expiring and mandates starting or ending mid-week, partial-day absences."""

    floater: float  # share of aides who may work at more than one school
    zone: int  # 0: a floater's other schools are its neighbours; n: two or three of a zone of n
    any_midweek: bool  # mid-week dates fall on any of Tuesday-Thursday, not on fixed days
    contract_staff: float  # share of aides employed through a contract
    schools_per_contract: int
    contract_cap: tuple[float, float]  # cap as a share of its staff's estimated minutes
    uncapped: float  # share of aides whose weekly maximum is their whole availability
    capped_share: tuple[float, float]  # their maximum as a share of their availability
    expiring: tuple[float, float]  # a held qualification's draw in [0.6, a) expires this week,
    # in [a, b) it has expired already
    iep_starts: float  # share of one-to-one mandates starting mid-week
    iep_ends: float  # share starting mid-week or ending mid-week (cumulative)
    shared_dates: float  # share of shared groups starting or ending mid-week
    absent: float  # chance of an absence per aide-day
    whole: float  # share of absences that are the whole day (the others are two hours)


PROFILES: dict[str, Profile] = {
    "standard": Profile(
        floater=0.08,
        zone=0,
        any_midweek=False,
        contract_staff=0.03,
        schools_per_contract=50,
        contract_cap=(0.55, 0.8),
        uncapped=0.75,
        capped_share=(0.6, 0.9),
        expiring=(0.66, 0.70),
        iep_starts=0.04,
        iep_ends=0.07,
        shared_dates=0.0,
        absent=0.04,
        whole=0.7,
    ),
    "hard": Profile(
        floater=0.25,
        zone=3,
        any_midweek=True,
        contract_staff=0.15,
        schools_per_contract=25,
        contract_cap=(0.3, 0.5),
        uncapped=0.4,
        capped_share=(0.4, 0.75),
        expiring=(0.75, 0.79),
        iep_starts=0.08,
        iep_ends=0.14,
        shared_dates=0.1,
        absent=0.08,
        whole=0.4,
    ),
}
QUALS_WEIGHTED = [
    ("BEHAVIOR", 0.45),
    ("SPANISH", 0.2),
    ("PERSONAL_CARE", 0.15),
    ("MEDICAL", 0.12),
    ("AAC", 0.1),
    ("ASL", 0.08),
]
FIRST = [
    "Liam",
    "Ava",
    "Noah",
    "Mia",
    "Ivy",
    "Leo",
    "Zoe",
    "Eli",
    "Amy",
    "Kai",
    "Ray",
    "Joy",
    "Tao",
    "Ana",
    "Sam",
    "Ben",
    "Lea",
    "Max",
    "Ada",
    "Omar",
    "Nia",
    "Luz",
    "Raj",
    "Yui",
]
LAST = [
    "Lewis",
    "Brown",
    "Johnson",
    "Patel",
    "Nguyen",
    "King",
    "Martinez",
    "Garcia",
    "Kim",
    "Lopez",
    "Chen",
    "Smith",
    "Okafor",
    "Rossi",
    "Haddad",
    "Silva",
    "Walker",
    "Young",
]


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Bell:
    """One school type's day: (setting, location kind, start, end) periods."""

    kind: str
    grades: tuple[str, ...]
    day: tuple[int, int]
    periods: tuple[tuple[str, str, int, int], ...]


BELLS = {
    "ES": Bell(
        "ES",
        ("PK", "K", "1", "2", "3", "4", "5"),
        (hm("07:45"), hm("15:00")),
        (
            ("bus", "bus-loop", hm("07:45"), hm("08:00")),
            ("classroom", "room", hm("08:00"), hm("10:00")),
            ("transition", "hallway", hm("10:00"), hm("10:15")),
            ("classroom", "room", hm("10:15"), hm("11:30")),
            ("lunch", "cafeteria", hm("11:30"), hm("12:00")),
            ("recess", "playground", hm("12:00"), hm("12:30")),
            ("classroom", "room", hm("12:30"), hm("13:30")),
            ("specials", "gym", hm("13:30"), hm("14:15")),
            ("personal_care", "nurse-office", hm("14:15"), hm("14:30")),
            ("bus", "bus-loop", hm("14:45"), hm("15:00")),
        ),
    ),
    "MS": Bell(
        "MS",
        ("6", "7", "8"),
        (hm("08:00"), hm("15:30")),
        (
            ("bus", "bus-loop", hm("08:00"), hm("08:15")),
            ("classroom", "room", hm("08:15"), hm("09:15")),
            ("classroom", "room", hm("09:15"), hm("10:15")),
            ("transition", "hallway", hm("10:15"), hm("10:30")),
            ("classroom", "room", hm("10:30"), hm("11:30")),
            ("lunch", "cafeteria", hm("11:30"), hm("12:00")),
            ("specials", "art-room", hm("12:00"), hm("13:00")),
            ("classroom", "room", hm("13:00"), hm("14:00")),
            ("community", "job-site", hm("14:00"), hm("15:00")),
            ("bus", "bus-loop", hm("15:15"), hm("15:30")),
        ),
    ),
    "HS": Bell(
        "HS",
        ("9", "10", "11", "12"),
        (hm("07:15"), hm("14:45")),
        (
            ("bus", "bus-loop", hm("07:15"), hm("07:30")),
            ("classroom", "room", hm("07:30"), hm("08:45")),
            ("transition", "hallway", hm("08:45"), hm("09:00")),
            ("classroom", "room", hm("09:00"), hm("10:15")),
            ("classroom", "room", hm("10:30"), hm("11:45")),
            ("lunch", "cafeteria", hm("11:45"), hm("12:15")),
            ("classroom", "room", hm("12:15"), hm("13:30")),
            ("community", "job-site", hm("13:30"), hm("14:30")),
            ("bus", "bus-loop", hm("14:30"), hm("14:45")),
        ),
    ),
}
