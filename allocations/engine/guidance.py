"""What the week LP's solution says each day should look like (`guidance`), for the fill to
follow: contract and capped aides' minutes by day, the slots where short minutes go, and each
floater's school. Read off a solved `weeklp.WeekModel`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from allocations.engine.model import SLOT_MINUTES
from allocations.engine.weeklp import USED, WeekModel


@dataclass
class Guidance:
    """What the week LP says each day should look like, for the fill to follow."""

    contract_days: dict[int, list[float]]  # contract -> minutes per day
    aide_days: dict[int, list[float]]  # aide id -> minutes per day, for aides the LP caps
    floater_school: dict[tuple[int, int], int]  # (aide id, day) -> school, day by day
    # (aide id, day) -> the slots the LP uses the aide in, for aides whose weekly minutes or
    # contract cap bind: where to spend minutes that are short.
    slots: dict[tuple[int, int], int] = field(default_factory=dict)
    short_contracts: frozenset[int] = frozenset()
    floater_home: dict[tuple[int, int], int] = field(default_factory=dict)  # one school a week


def guidance(model: WeekModel) -> Guidance:
    x = model.solution[: model.n_x]
    aide_of = model.aide_of[: model.n_x]
    day_of = model.seg_day[model.seg_of[: model.n_x]]
    used = x * model.minutes[: model.n_x]
    aides = model.cluster.aides
    per = np.zeros((len(aides), 7))
    np.add.at(per, (aide_of, day_of), used)
    contract_days: dict[int, list[float]] = {}
    aide_days: dict[int, list[float]] = {}
    for a, week in enumerate(aides):
        contract_id = week.aide.contract_id
        if contract_id is not None:
            days = contract_days.setdefault(contract_id, [0.0] * 7)
            for d in range(7):
                days[d] += float(per[a, d])
        if per[a].sum() >= week.aide.max_weekly_minutes - SLOT_MINUTES:
            aide_days[week.aide.id] = [float(v) for v in per[a]]
    short = set(aide_days)
    short_contracts = frozenset(
        c
        for c, row in model.contract_rows.items()
        if model.row_activity[row] >= model.caps[c] - SLOT_MINUTES
    )
    short |= {w.aide.id for w in aides if w.aide.contract_id in short_contracts}
    slots: dict[tuple[int, int], int] = {}
    if short:
        picked = np.array([w.aide.id in short for w in aides])
        on = picked[aide_of] & (used > USED)
        keys = np.unique(aide_of[on] * len(model.seg_day) + model.seg_of[: model.n_x][on])
        for key in keys.tolist():
            a, seg = divmod(key, len(model.seg_day))
            start, end = int(model.seg_start[seg]), int(model.seg_end[seg])
            where = (aides[a].aide.id, int(model.seg_day[seg]))
            slots[where] = slots.get(where, 0) | (((1 << (end - start)) - 1) << start)
    floater_school: dict[tuple[int, int], int] = {}
    floater_home: dict[tuple[int, int], int] = {}
    floaters = [
        a for a, w in enumerate(aides) if len(w.aide.school_ids & model.cluster.schools) > 1
    ]
    if floaters:
        # Pinned only where the safety tier needs them: elsewhere the fill chooses freely.
        mask = np.isin(aide_of, floaters) & (used > USED) & model.safety[: model.n_x]
        by: dict[tuple[int, int, int], float] = defaultdict(float)
        for a, d, s, u in zip(
            aide_of[mask], day_of[mask], model.school_of[: model.n_x][mask], used[mask], strict=True
        ):
            by[(int(a), int(d), int(s))] += float(u)
        home: dict[int, tuple[float, int]] = {}
        weekly: dict[tuple[int, int], float] = defaultdict(float)
        for (a, _d, s), u in by.items():
            weekly[(a, s)] += u
        for (a, s), u in sorted(weekly.items()):
            if a not in home or u > home[a][0] + 1e-6:
                home[a] = (u, s)
        best: dict[tuple[int, int], tuple[float, int]] = {}
        for (a, d, s), u in sorted(by.items()):
            if (a, d) not in best or u > best[(a, d)][0] + 1e-6:
                best[(a, d)] = (u, s)
        for (a, d), (_, s) in best.items():
            # The LP does not weigh continuity: the school where it uses the floater most
            # over the week keeps it on every day it is used, or (the second choice) on the
            # days the LP uses it there at all.
            aide_id = aides[a].aide.id
            floater_home[(aide_id, d)] = home[a][1]
            if by.get((a, d, home[a][1]), 0.0) > USED:
                s = home[a][1]
            floater_school[(aide_id, d)] = s
    return Guidance(contract_days, aide_days, floater_school, slots, short_contracts, floater_home)
