"""Stage B: the weekly template. One HiGHS MIP per group of schools gives each recurring block a
standing aide for the days that aide can take it, so continuity holds by construction.

Columns: z[a,u] = aide a is the standing aide of unit u (a mandate's block at one time and place,
recurring over the week) on the days S(a,u) it can take it; for shared blocks, c[a,p,g] = aide a
leads the pod p (one location and time over the same days) with at most g students, and w[a,s,d]
pins a floater to one school a day. Rows: one aide per unit, interval cliques per aide-day
(exclusive one_to_one, one pod at a time), weekly minutes, the group's share of each contract cap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from allocations.engine.due import AideWeek, Cluster, Demand, eligible, slot_mask
from allocations.engine.model import SLOT_MINUTES, Policy
from allocations.engine.state import Plan

INF = float("inf")
UnitKey = tuple[int, str, int, int]  # mandate, location, start slot, end slot


@dataclass
class _Model:
    cost: list[float] = field(default_factory=list)
    row_lo: list[float] = field(default_factory=list)
    row_hi: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def col(self, cost: float) -> int:
        self.cost.append(cost)
        return len(self.cost) - 1

    def row(self, entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        for col, coef in entries:
            self.index.append(col)
            self.value.append(coef)
        self.starts.append(len(self.index))
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def solve(self, policy: Policy) -> list[float]:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("time_limit", float(policy.template_seconds))
        h.setOptionValue("mip_max_nodes", int(policy.template_max_nodes))
        h.setOptionValue("mip_rel_gap", float(policy.template_mip_gap))
        n_col = len(self.cost)
        inf = highspy.kHighsInf
        h.passModel(
            n_col,
            len(self.row_lo),
            len(self.index),
            int(highspy.MatrixFormat.kRowwise),
            int(highspy.ObjSense.kMaximize),
            0.0,
            np.asarray(self.cost, dtype=np.float64),
            np.zeros(n_col),
            np.ones(n_col),
            np.maximum(np.asarray(self.row_lo, dtype=np.float64), -inf),
            np.asarray(self.row_hi, dtype=np.float64),
            np.asarray(self.starts[:-1], dtype=np.int32),
            np.asarray(self.index, dtype=np.int32),
            np.asarray(self.value, dtype=np.float64),
            np.ones(n_col, dtype=np.int32),
        )
        h.run()
        if h.getInfo().primal_solution_status != 2:  # no feasible point: keep the template empty
            return [0.0] * n_col
        return list(h.getSolution().col_value)


@dataclass
class _Occupancy:
    """A column that keeps its aide busy: a one_to_one unit, or leading a pod."""

    col: int
    aide: AideWeek
    school: int
    start: int
    end: int
    days: tuple[int, ...]


def _units(demands: list[Demand]) -> list[dict[int, Demand]]:
    """A mandate's block at one time and place, keyed by day, recurring over the week."""
    units: dict[UnitKey, list[dict[int, Demand]]] = defaultdict(list)
    for d in sorted(demands, key=lambda x: (x.mandate_id, x.start, x.block_id)):
        rows = units[(d.mandate_id, d.location, d.start, d.end)]
        for unit in rows:
            if d.day not in unit:
                unit[d.day] = d
                break
        else:
            rows.append({d.day: d})
    return [u for key in sorted(units) for u in units[key]]


def _free_days(week: AideWeek, days: list[int], start: int, end: int) -> tuple[int, ...]:
    mask = slot_mask(start, end)
    return tuple(d for d in days if week.avail[d] & mask == mask)


def template_solve(
    cluster: Cluster, plan: Plan, contract_share: dict[int, int], policy: Policy
) -> None:
    """Solve the cluster's weekly template and write it into the plan."""
    all_demands = [d for day in cluster.demands for d in day]
    if not all_demands or not cluster.aides:
        return
    by_school: dict[int, list[AideWeek]] = defaultdict(list)
    for week in cluster.aides:
        for school in sorted(week.aide.school_ids & cluster.schools):
            by_school[school].append(week)
    model = _Model()
    occupancy: list[_Occupancy] = []
    unit_cols: dict[int, list[int]] = defaultdict(list)  # unit number -> its z columns
    singles: list[tuple[int, AideWeek, tuple[int, ...], dict[int, Demand]]] = []
    pods: list[tuple[AideWeek, tuple[int, ...], list[tuple[int, dict[int, Demand]]]]] = []
    units = _units(all_demands)
    pod_members: dict[tuple[int, str, int, int, tuple[int, ...]], list[int]] = defaultdict(list)
    for number, unit in enumerate(units):
        first = next(iter(unit.values()))
        days = sorted(unit)
        if not first.shared:
            for week in by_school[first.school_id]:
                free = _free_days(week, days, first.start, first.end)
                free = tuple(d for d in free if eligible(week, unit[d]))
                if not free:
                    continue
                slots = (first.end - first.start) * len(free)
                value = sum(unit[d].value for d in free) * (first.end - first.start)
                col = model.col(value - week.penalty * slots)
                unit_cols[number].append(col)
                singles.append((col, week, free, unit))
                occupancy.append(
                    _Occupancy(col, week, first.school_id, first.start, first.end, free)
                )
        else:
            key = (first.school_id, first.location, first.start, first.end, tuple(days))
            pod_members[key].append(number)
    for key in sorted(pod_members):
        school, _location, start, end, pod_days = key
        members = pod_members[key]
        groups = sorted({units[n][pod_days[0]].max_group for n in members})
        for week in by_school[school]:
            free = _free_days(week, list(pod_days), start, end)
            if not free:
                continue
            slots = (end - start) * len(free)
            candidates = [n for n in members if all(eligible(week, units[n][d]) for d in free)]
            if not candidates:
                continue
            leads = {g: model.col(-week.penalty * slots - 0.001 * g) for g in groups}
            served: list[tuple[int, dict[int, Demand]]] = []
            for number in candidates:
                unit = units[number]
                col = model.col(sum(unit[d].value for d in free) * (end - start))
                unit_cols[number].append(col)
                served.append((col, unit))
                group = unit[pod_days[0]].max_group
                model.row([(col, 1.0)] + [(leads[g], -1.0) for g in groups if g <= group], -INF, 0)
            model.row([(c, 1.0) for c, _ in served] + [(leads[g], -g) for g in groups], -INF, 0)
            for col in leads.values():
                occupancy.append(_Occupancy(col, week, school, start, end, free))
            pods.append((week, free, served))
    for cols in unit_cols.values():
        if len(cols) > 1:
            model.row([(c, 1.0) for c in cols], -INF, 1.0)
    _aide_rows(model, occupancy, plan, contract_share)
    solution = model.solve(policy)
    _apply(plan, solution, singles, pods)


def _aide_rows(
    model: _Model, occupancy: list[_Occupancy], plan: Plan, contract_share: dict[int, int]
) -> None:
    by_aide: dict[int, list[_Occupancy]] = defaultdict(list)
    for occ in occupancy:
        by_aide[occ.aide.aide.id].append(occ)
    contract_cols: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for aide_id in sorted(by_aide):
        occs = by_aide[aide_id]
        week = occs[0].aide
        minutes = [(o.col, float((o.end - o.start) * SLOT_MINUTES * len(o.days))) for o in occs]
        if sum(m for _, m in minutes) > plan.minutes_left[aide_id]:
            model.row(minutes, -INF, float(plan.minutes_left[aide_id]))
        if week.aide.contract_id is not None:
            contract_cols[week.aide.contract_id].extend(minutes)
        per_day: dict[int, list[_Occupancy]] = defaultdict(list)
        for o in occs:
            for d in o.days:
                per_day[d].append(o)
        for day in sorted(per_day):
            day_occs = per_day[day]
            for point in sorted({o.start for o in day_occs}):
                clique = [(o.col, 1.0) for o in day_occs if o.start <= point < o.end]
                if len(clique) > 1:
                    model.row(clique, -INF, 1.0)
            schools = sorted({o.school for o in day_occs})
            if len(schools) > 1:
                pins = {s: model.col(0.0) for s in schools}
                model.row([(c, 1.0) for c in pins.values()], -INF, 1.0)
                for o in day_occs:
                    model.row([(o.col, 1.0), (pins[o.school], -1.0)], -INF, 0.0)
    for contract_id in sorted(contract_cols):
        cols = contract_cols[contract_id]
        share = contract_share.get(contract_id, 0)
        if sum(m for _, m in cols) > share:
            model.row(cols, -INF, float(share))


def _apply(
    plan: Plan,
    solution: list[float],
    singles: list[tuple[int, AideWeek, tuple[int, ...], dict[int, Demand]]],
    pods: list[tuple[AideWeek, tuple[int, ...], list[tuple[int, dict[int, Demand]]]]],
) -> None:
    def chosen(col: int) -> bool:
        return solution[col] > 0.5

    for col, week, days, unit in singles:
        if chosen(col):
            for day in days:
                _serve_whole(plan, week, unit[day])
    for week, days, cols in pods:
        for col, unit in cols:
            if chosen(col):
                for day in days:
                    _serve_whole(plan, week, unit[day])


def _serve_whole(plan: Plan, week: AideWeek, demand: Demand) -> None:
    """Serve the whole block, re-checking every rule so a solver tolerance can never break one."""
    if plan.can_serve_run(week, demand, demand.start, demand.end):
        plan.serve(week, demand, demand.start, demand.end)
