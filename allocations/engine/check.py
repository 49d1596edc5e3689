"""An independent validator of the eight rules of a valid allocation (district-bundle spec).

It reads only the Problem and the rows, never the solver's state, so it can judge any plan: the
engine's, the first-fit baseline's, or one edited by hand.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from allocations.engine.model import (
    ONE_TO_ONE,
    SLOT_MINUTES,
    Aide,
    Assignment,
    Block,
    Mandate,
    Problem,
    Result,
)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _is_due(mandate: Mandate, block: Block, on: date, closed: set[tuple[date, int | None]]) -> bool:
    return (
        on.weekday() == block.weekday
        and mandate.starts_on <= on
        and (mandate.ends_on is None or on <= mandate.ends_on)
        and (on, None) not in closed
        and (on, mandate.school_id) not in closed
    )


def _available(aide: Aide, on: date, start: int) -> bool:
    end = start + SLOT_MINUTES
    if not any(
        w.weekday == on.weekday() and w.start <= start and end <= w.end for w in aide.windows
    ):
        return False
    for absence in aide.absences:
        if absence.on != on:
            continue
        if absence.start is None or absence.end is None:
            return False
        if absence.start < end and start < absence.end:
            return False
    return True


def _qualified(aide: Aide, mandate: Mandate, on: date) -> bool:
    valid = {q.code for q in aide.qualifications if q.expires_on is None or on <= q.expires_on}
    return mandate.required_qualifications <= valid


def check(problem: Problem, result: Result) -> list[str]:
    """Every violation of rules 1-8, in words; [] when the allocation is valid."""
    aides = {a.id: a for a in problem.aides}
    mandates = {m.id: m for m in problem.mandates}
    blocks = {b.id: b for b in problem.blocks}
    contracts = {c.id: c for c in problem.contracts}
    closed = {(c.on, c.school_id) for c in problem.closures}
    week_end = problem.week_start + timedelta(days=6)
    errors: list[str] = []
    serving: dict[tuple[int, date, int], list[tuple[Mandate, Block]]] = defaultdict(list)
    covering: dict[tuple[int, date, int], list[int]] = defaultdict(list)
    schools_on: dict[tuple[int, date], set[int]] = defaultdict(set)
    for row in result.assignments:
        where = _describe(row, aides, mandates)
        aide = aides.get(row.aide_id)
        mandate = mandates.get(row.mandate_id)
        block = blocks.get(row.block_id)
        if aide is None or mandate is None or block is None or block.mandate_id != mandate.id:
            errors.append(f"{where}: unknown aide, mandate or block")
            continue
        if not problem.week_start <= row.on <= week_end:
            errors.append(f"{where}: date outside the week")
        if row.start >= row.end or row.start % SLOT_MINUTES or row.end % SLOT_MINUTES:
            errors.append(f"{where}: not a run of whole 15-minute slots")
            continue
        due = _is_due(mandate, block, row.on, closed)
        for start in range(row.start, row.end, SLOT_MINUTES):
            at = f"{where} at {_hhmm(start)}"
            if not (due and block.start <= start and start + SLOT_MINUTES <= block.end):
                errors.append(f"rule 1: {at}: the slot is not due")
            if not _available(aide, row.on, start):
                errors.append(f"rule 2: {at}: the aide is not available or is absent")
            if not _qualified(aide, mandate, row.on):
                errors.append(f"rule 4: {at}: a required qualification is missing or expired")
            if aide.contract_id is not None:
                contract = contracts.get(aide.contract_id)
                if contract is None or not contract.starts_on <= row.on <= contract.ends_on:
                    errors.append(f"rule 8: {at}: the aide's contract is not in force")
            serving[(aide.id, row.on, start)].append((mandate, block))
            covering[(block.id, row.on, start)].append(aide.id)
        if mandate.school_id not in aide.school_ids:
            errors.append(f"rule 3: {where}: the school is not one of the aide's schools")
        schools_on[(aide.id, row.on)].add(mandate.school_id)
    errors.extend(_group_rules(serving, aides))
    for (aide_id, on), schools in sorted(schools_on.items()):
        if len(schools) > 1:
            errors.append(
                f"rule 3: aide {aides[aide_id].code} works at {len(schools)} schools on {on}"
            )
    for (block_id, on, start), who in sorted(covering.items()):
        if len(who) > 1:
            errors.append(
                f"rule 6: block {block_id} on {on} at {_hhmm(start)} is covered {len(who)} times"
            )
    errors.extend(_minute_rules(problem, serving, aides))
    errors.extend(_gap_rows(result, covering, blocks))
    return errors


def _describe(row: Assignment, aides: dict[int, Aide], mandates: dict[int, Mandate]) -> str:
    aide = aides.get(row.aide_id)
    mandate = mandates.get(row.mandate_id)
    return (
        f"aide {aide.code if aide else row.aide_id} with mandate "
        f"{mandate.code if mandate else row.mandate_id} on {row.on}"
    )


def _group_rules(
    serving: dict[tuple[int, date, int], list[tuple[Mandate, Block]]], aides: dict[int, Aide]
) -> list[str]:
    errors: list[str] = []
    for (aide_id, on, start), served in sorted(serving.items(), key=lambda kv: kv[0]):
        at = f"aide {aides[aide_id].code} on {on} at {_hhmm(start)}"
        if len({b.id for _, b in served}) < len(served):
            errors.append(f"rule 5: {at}: the same block is served twice at once")
        if len(served) == 1:
            continue
        if any(m.support == ONE_TO_ONE for m, _ in served):
            errors.append(f"rule 5: {at}: a one_to_one student shares the aide")
            continue
        smallest = min(m.max_group or 1 for m, _ in served)
        if len(served) > smallest:
            errors.append(f"rule 5: {at}: {len(served)} students exceed max_group {smallest}")
        if len({(m.school_id, b.location) for m, b in served}) > 1:
            errors.append(f"rule 5: {at}: the group is not all at one location")
    return errors


def _minute_rules(
    problem: Problem,
    serving: dict[tuple[int, date, int], list[tuple[Mandate, Block]]],
    aides: dict[int, Aide],
) -> list[str]:
    errors: list[str] = []
    minutes: dict[int, int] = defaultdict(int)
    for aide_id, _, _ in serving:
        minutes[aide_id] += SLOT_MINUTES
    by_contract: dict[int, int] = defaultdict(int)
    for aide_id in sorted(minutes):
        aide = aides[aide_id]
        if minutes[aide_id] > aide.max_weekly_minutes:
            errors.append(
                f"rule 7: aide {aide.code} is scheduled {minutes[aide_id]} minutes, "
                f"over {aide.max_weekly_minutes}"
            )
        if aide.contract_id is not None:
            by_contract[aide.contract_id] += minutes[aide_id]
    for contract in sorted(problem.contracts, key=lambda c: c.id):
        used = by_contract.get(contract.id, 0)
        if used > contract.weekly_minute_cap:
            errors.append(
                f"rule 8: contract {contract.code} staff are scheduled {used} minutes, "
                f"over its cap of {contract.weekly_minute_cap}"
            )
    return errors


def _gap_rows(
    result: Result, covering: dict[tuple[int, date, int], list[int]], blocks: dict[int, Block]
) -> list[str]:
    errors: list[str] = []
    for gap in result.gaps:
        for start in range(gap.start, gap.end, SLOT_MINUTES):
            if (gap.block_id, gap.on, start) in covering:
                errors.append(
                    f"gap: block {gap.block_id} on {gap.on} at {_hhmm(start)} is reported "
                    "unstaffed but is covered"
                )
    return errors
