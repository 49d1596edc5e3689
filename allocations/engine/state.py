"""The plan under construction: who serves which demand in which slot, and what each aide has
left. Every stage writes through `Plan.serve`, and `Plan.can_serve` is the one rule gate the
first-fit stages use."""

from __future__ import annotations

from allocations.engine.due import AideWeek, Demand, eligible
from allocations.engine.model import SLOT_MINUTES, Problem


class Service:
    """What one aide does in one slot: one one_to_one student, or one shared group, or (with
    no demand) time given to a school outside the plan, which nobody may join."""

    __slots__ = ("cap", "location", "members", "school", "shared")

    def __init__(self, demand: Demand | None, school: int = -1) -> None:
        if demand is None:
            self.shared, self.school, self.location, self.cap = False, school, "", 0
            self.members: list[int] = []
            return
        self.shared = demand.shared
        self.school = demand.school_id
        self.location = demand.location
        self.cap = demand.max_group
        self.members = [demand.idx]


class Plan:
    def __init__(self, problem: Problem, demands: list[Demand], weeks: list[AideWeek]) -> None:
        self.demands = demands
        self.weeks = {w.aide.id: w for w in weeks}
        self.by_school: dict[int, list[AideWeek]] = {}
        for week in weeks:
            for school in sorted(week.aide.school_ids):
                self.by_school.setdefault(school, []).append(week)
        self.cover: list[list[int]] = [[-1] * (d.end - d.start) for d in demands]
        self.busy: dict[tuple[int, int], dict[int, Service]] = {}
        self.busy_mask: dict[tuple[int, int], int] = {}
        self.day_school: dict[tuple[int, int], int] = {}
        self.minutes_left = {w.aide.id: max(0, w.aide.max_weekly_minutes) for w in weeks}
        self.contract_left = {c.id: max(0, c.weekly_minute_cap) for c in problem.contracts}
        self.served: set[tuple[int, int]] = set()  # (aide, mandate)
        self.aides_of: dict[int, set[int]] = {}  # mandate -> aides who served it
        self.day_started: set[tuple[int, int]] = set()  # (mandate, day) with any coverage
        # While set, every serve is logged (aide, day, start, end), so that a fill can be undone.
        self.journal: list[tuple[int, int, int, int]] | None = None

    def contract_room(self, week: AideWeek) -> int:
        contract_id = week.aide.contract_id
        if contract_id is None:
            return 1 << 30
        return self.contract_left.get(contract_id, 0)

    def room(self, week: AideWeek) -> int:
        """Minutes the aide may still be scheduled this week (rules 7 and 8)."""
        return min(self.minutes_left[week.aide.id], self.contract_room(week))

    def can_serve(self, week: AideWeek, demand: Demand, slot: int) -> bool:
        """All eight rules for adding this aide to this demand in this slot."""
        if self.cover[demand.idx][slot - demand.start] != -1:
            return False
        if not (week.avail[demand.day] >> slot) & 1 or not eligible(week, demand):
            return False
        key = (week.aide.id, demand.day)
        school = self.day_school.get(key)
        if school is not None and school != demand.school_id:
            return False
        service = self.busy.get(key, {}).get(slot)
        if service is None:
            return self.room(week) >= SLOT_MINUTES
        return (
            service.shared
            and demand.shared
            and service.location == demand.location
            and service.school == demand.school_id
            and len(service.members) < min(service.cap, demand.max_group)
        )

    def can_serve_run(self, week: AideWeek, demand: Demand, start: int, end: int) -> bool:
        """`can_serve` for every slot of [start, end), with the weekly and contract minutes
        counted over the whole run."""
        busy = self.busy.get((week.aide.id, demand.day), {})
        new_slots = 0
        for slot in range(start, end):
            if not self.can_serve(week, demand, slot):
                return False
            if slot not in busy:
                new_slots += 1
        return self.room(week) >= new_slots * SLOT_MINUTES

    def extend(self, week: AideWeek, demand: Demand, start: int, end: int) -> bool:
        """Keep an aide on a demand it served in the slot before, if the rules allow; a fast
        path for the common case of an aide with nothing else in [start, end)."""
        key = (week.aide.id, demand.day)
        mask = ((1 << (end - start)) - 1) << start
        if week.avail[demand.day] & mask != mask:
            return False
        if self.busy_mask.get(key, 0) & mask or self.cover[demand.idx][start - demand.start] != -1:
            if not self.can_serve_run(week, demand, start, end):
                return False
        elif self.room(week) < (end - start) * SLOT_MINUTES:
            return False
        self.serve(week, demand, start, end)
        return True

    def serve(self, week: AideWeek, demand: Demand, start: int, end: int) -> None:
        """Record the aide on the demand for slots [start, end); callers have checked the rules."""
        aide_id = week.aide.id
        key = (aide_id, demand.day)
        if self.journal is not None:
            self.journal.append((aide_id, demand.day, start, end))
        slots = self.busy.setdefault(key, {})
        cover = self.cover[demand.idx]
        new_slots = 0
        for slot in range(start, end):
            service = slots.get(slot)
            if service is None:
                slots[slot] = Service(demand)
                new_slots += 1
            else:
                service.members.append(demand.idx)
                service.cap = min(service.cap, demand.max_group)
            cover[slot - demand.start] = aide_id
        self._spend(week, new_slots * SLOT_MINUTES)
        self.busy_mask[key] = self.busy_mask.get(key, 0) | (((1 << (end - start)) - 1) << start)
        self.day_school[key] = demand.school_id
        self.served.add((aide_id, demand.mandate_id))
        self.aides_of.setdefault(demand.mandate_id, set()).add(aide_id)
        self.day_started.add((demand.mandate_id, demand.day))

    def engage(self, week: AideWeek, day: int, start: int, end: int, school: int) -> None:
        """Record time the aide already gives to a school outside this plan: busy, counted
        against its weekly and contract minutes, and that school fixed for the day."""
        aide_id = week.aide.id
        key = (aide_id, day)
        slots = self.busy.setdefault(key, {})
        new_slots = 0
        for slot in range(start, end):
            if slot not in slots:
                slots[slot] = Service(None, school)
                new_slots += 1
        self._spend(week, new_slots * SLOT_MINUTES)
        self.busy_mask[key] = self.busy_mask.get(key, 0) | (((1 << (end - start)) - 1) << start)
        self.day_school[key] = school

    def release(self, aide_id: int, day: int, slot: int) -> list[int]:
        """Take the aide off what it serves in the slot; returns the demands left open."""
        key = (aide_id, day)
        service = self.busy[key].pop(slot)
        for idx in service.members:
            demand = self.demands[idx]
            self.cover[idx][slot - demand.start] = -1
        self.busy_mask[key] &= ~(1 << slot)
        self._spend(self.weeks[aide_id], -SLOT_MINUTES)
        return service.members

    def _spend(self, week: AideWeek, minutes: int) -> None:
        self.minutes_left[week.aide.id] -= minutes
        if week.aide.contract_id is not None:
            self.contract_left[week.aide.contract_id] = (
                self.contract_left.get(week.aide.contract_id, 0) - minutes
            )

    def service_at(self, aide_id: int, day: int, slot: int) -> Service | None:
        return self.busy.get((aide_id, day), {}).get(slot)
