"""Who could cover a gap: the school's qualified aides, best first, with the facts that rank
them (free minutes, its hours, other students, other schools, weekly and contract limits).

Pure: the callers word the facts for people (allocations/alerts).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from allocations.engine.causes import AideDay, GapDay, Span
from allocations.engine.model import SLOT_MINUTES, Qualification

SUGGESTIONS = 5


@dataclass(frozen=True)
class Clash:
    start: int
    end: int
    student_code: str


@dataclass(frozen=True)
class Cover:
    """One qualified aide who could take (some of) the gap, and what stands in the way."""

    aide_id: int
    code: str
    name: str
    held: tuple[Qualification, ...]  # the required ones, by code
    regular: bool  # already serves the student this week
    free_minutes: int  # of the gap it could take as things stand (0 when it cannot come)
    day_free_minutes: int  # of the gap its day leaves free, whatever its contract says
    wanted_minutes: int
    elsewhere: tuple[str, ...]  # codes of the other schools it works at that day
    in_window_minutes: int  # of the gap inside its hours
    clashes: tuple[Clash, ...]  # its runs that overlap the gap
    planned_minutes: int
    max_weekly_minutes: int
    is_contract_staff: bool
    contract_ends_on: date | None
    contract_in_force: bool
    contract_cap_reached: bool
    weekly_room_minutes: int  # what its weekly limits (and its contract's) still allow


def _slots(spans: Iterable[Span]) -> list[int]:
    return [minute for start, end in spans for minute in range(start, end, SLOT_MINUTES)]


def _in(minute: int, start: int | None, end: int | None) -> bool:
    return start is not None and end is not None and start <= minute < end


def free_minutes(aide: AideDay, spans: Iterable[Span]) -> int:
    """Minutes of the gap the aide could take: in its hours, not absent, not busy."""
    free = 0
    for minute in _slots(spans):
        if not any(_in(minute, s, e) for s, e in aide.windows):
            continue
        if any(s is None or _in(minute, s, e) for s, e in aide.absences):
            continue
        if any(_in(minute, b.start, b.end) for b in aide.busy):
            continue
        free += SLOT_MINUTES
    return free


def _cover(aide: AideDay, gap: GapDay) -> Cover:
    wanted = gap.minutes
    elsewhere = tuple(sorted({b.school_code for b in aide.busy if b.school_id != gap.school_id}))
    day_free = 0 if elsewhere else free_minutes(aide, gap.spans)
    clashes = {
        Clash(b.start, b.end, b.student_code)
        for b in aide.busy
        if any(b.start < end and b.end > start for start, end in gap.spans)
    }
    in_window = sum(
        SLOT_MINUTES
        for minute in _slots(gap.spans)
        if any(_in(minute, s, e) for s, e in aide.windows)
    )
    room = aide.max_weekly_minutes - aide.planned_minutes
    contract = aide.contract
    in_force = contract is None or contract.starts_on <= gap.on <= contract.ends_on
    if contract is not None:
        room = min(room, aide.contract_room_minutes)
    free = day_free if in_force else 0
    if not in_force:
        room = 0
    return Cover(
        aide_id=aide.id,
        code=aide.code,
        name=aide.name,
        held=tuple(
            sorted((q for q in aide.qualifications if q.code in gap.required), key=lambda q: q.code)
        ),
        regular=aide.id in gap.regular_ids,
        free_minutes=free,
        day_free_minutes=day_free,
        wanted_minutes=wanted,
        elsewhere=elsewhere,
        in_window_minutes=in_window,
        clashes=tuple(sorted(clashes, key=lambda c: (c.start, c.end, c.student_code))),
        planned_minutes=aide.planned_minutes,
        max_weekly_minutes=aide.max_weekly_minutes,
        is_contract_staff=contract is not None,
        contract_ends_on=None if contract is None else contract.ends_on,
        contract_in_force=in_force,
        contract_cap_reached=contract is not None and aide.contract_room_minutes <= 0,
        weekly_room_minutes=room,
    )


def _rank(cover: Cover) -> tuple[int, ...]:
    """Most of the gap it can actually take, then most free, then the student's own aide,
    district staff before contract staff, the least planned, and the id for a stable order."""
    return (
        -min(cover.free_minutes, max(cover.weekly_room_minutes, 0)),
        -cover.free_minutes,
        0 if cover.regular else 1,
        1 if cover.is_contract_staff else 0,
        cover.planned_minutes,
        cover.aide_id,
    )


def rank_cover(
    gap: GapDay, aides: Iterable[AideDay], *, limit: int = SUGGESTIONS
) -> tuple[Cover, ...]:
    """The aides of the gap's school who hold every required qualification, valid that day,
    and are not absent for all of it, best first (at most `limit`)."""
    candidates = {a.id: a for a in aides}
    covers = [
        _cover(aide, gap)
        for _, aide in sorted(candidates.items())
        if aide.qualified(gap.required, gap.on) and aide.absent_minutes(gap.spans) < gap.minutes
    ]
    return tuple(sorted(covers, key=_rank)[:limit])
