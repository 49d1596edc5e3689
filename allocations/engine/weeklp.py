"""The week's linear programme per group of schools: the bound that keeps every rule, and the
whole-week view that guides the fill (read off by `guidance.py`).

For each (day, segment) of the group, the open demands are pooled into classes that look the
same to every aide (school, location for shared groups, qualifications, group size, tier). A
column x is one aide's share of one class over one segment, counted in students. Rows:

- a class gets at most as many aides' students as it has students (one aide per slot);
- an aide's time in a segment: a one_to_one student takes all of it, a shared student
  1/max_group of it, at most 1 in total (a group never exceeds its smallest max_group, so any
  real group fits, and an aide serves one thing at a time);
- an aide's weekly minutes, and each contract's weekly minutes (the group's share of its cap);
- one school per aide per day: a floater's time at a school on a day is at most z[a, day,
  school], with the z of a day summing to at most 1.

Every valid plan is a feasible point (eligibility is per student and per date, so a real group
is always allowed), so the optimum is an upper bound on any plan's minutes given the group's
contract shares. The model is built from arrays, not per-variable loops, and solved by HiGHS
(dual simplex, one thread: deterministic).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt

from allocations.engine.due import Cluster, Demand, segments
from allocations.engine.model import SLOT_MINUTES

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
SLOTS = 96
TOLERANCE = 1e-6
USED = 0.5  # minutes: below this an LP value is round-off, not a use
BOUND_KIND = "week LP in the policy's order (HiGHS)"


@dataclass
class WeekModel:
    """The arrays of one group's week LP and the HiGHS instance that solves it."""

    cluster: Cluster
    aide_of: IntArray  # per column: position of the aide in cluster.aides (-1 for z columns)
    seg_of: IntArray  # per column: segment number (-1 for z columns)
    school_of: IntArray  # per column: school id
    minutes: FloatArray  # per column: aide-minutes one unit of the column uses
    worth: FloatArray  # per column: student-minutes one unit of the column covers
    safety: npt.NDArray[np.bool_]  # per column: a safety-tier class
    seg_day: IntArray  # per segment: its day
    seg_start: IntArray  # per segment: first slot
    seg_end: IntArray  # per segment: slot after the last
    contract_rows: dict[int, int]  # contract id -> row
    caps: dict[int, int]  # contract id -> this group's share of its cap
    highs: highspy.Highs
    n_x: int  # x columns come first; z columns after
    safety_value: float = 0.0
    total_value: float = 0.0
    solution: FloatArray = field(default_factory=lambda: np.zeros(0))
    duals: FloatArray = field(default_factory=lambda: np.zeros(0))
    row_activity: FloatArray = field(default_factory=lambda: np.zeros(0))
    safety_duals: FloatArray = field(default_factory=lambda: np.zeros(0))
    safety_activity: FloatArray = field(default_factory=lambda: np.zeros(0))


def _bits(masks: list[int]) -> npt.NDArray[np.int32]:
    """Availability masks as a (len, SLOTS + 1) prefix-count table."""
    raw = np.frombuffer(
        b"".join(m.to_bytes(SLOTS // 8, "little") for m in masks), dtype=np.uint8
    ).reshape(len(masks), SLOTS // 8)
    bits = np.unpackbits(raw, axis=1, bitorder="little").astype(np.int32)
    prefix = np.zeros((len(masks), SLOTS + 1), dtype=np.int32)
    np.cumsum(bits, axis=1, out=prefix[:, 1:])
    return prefix


ClassKey = tuple[int, str, frozenset[str], int, bool]


def _classes(
    cluster: Cluster,
) -> tuple[list[tuple[int, int, int]], list[tuple[int, ClassKey, int]]]:
    """Segments (day, start, end) and the demand classes active in each (segment, key, count)."""
    segs: list[tuple[int, int, int]] = []
    rows: list[tuple[int, ClassKey, int]] = []
    for day, demands in enumerate(cluster.demands):
        if not demands:
            continue
        masks = [w.avail[day] for w in cluster.aides if w.avail[day]]
        for start, end, active in segments(demands, masks):
            seg = len(segs)
            segs.append((day, start, end))
            counts: dict[ClassKey, int] = defaultdict(int)
            for d in active:
                counts[_key(d)] += 1
            for key in sorted(counts, key=lambda k: (k[0], k[1], sorted(k[2]), k[3], k[4])):
                rows.append((seg, key, counts[key]))
    return segs, rows


def _key(d: Demand) -> ClassKey:
    return (d.school_id, d.location if d.shared else "", d.reqs, d.max_group, d.safety)


def build(cluster: Cluster, caps: dict[int, int]) -> WeekModel | None:
    """The group's week LP with `caps` as each contract's weekly minutes; None when empty."""
    segs, class_rows = _classes(cluster)
    aides = cluster.aides
    if not class_rows or not aides:
        return None
    n_aides = len(aides)
    prefix = [_bits([w.avail[day] for w in aides]) for day in range(7)]
    seg_day = np.array([s[0] for s in segs], dtype=np.int64)
    seg_start = np.array([s[1] for s in segs], dtype=np.int64)
    seg_end = np.array([s[2] for s in segs], dtype=np.int64)
    # Kinds of need per day (school, qualifications): the aides eligible for each, as CSR.
    kind_index: dict[tuple[int, int, frozenset[str]], int] = {}
    class_kind = np.empty(len(class_rows), dtype=np.int64)
    for i, (seg, key, _) in enumerate(class_rows):
        kind = (segs[seg][0], key[0], key[2])
        class_kind[i] = kind_index.setdefault(kind, len(kind_index))
    kind_aides: list[list[int]] = [[] for _ in kind_index]
    for (day, school, reqs), k in kind_index.items():
        kind_aides[k] = [
            a
            for a, w in enumerate(aides)
            if school in w.aide.school_ids and w.in_force[day] and reqs <= w.quals[day]
        ]
    kptr = np.zeros(len(kind_aides) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in kind_aides], out=kptr[1:])
    kflat = np.array([a for x in kind_aides for a in x], dtype=np.int64)
    class_seg = np.array([r[0] for r in class_rows], dtype=np.int64)
    lens = kptr[class_kind + 1] - kptr[class_kind]
    total = int(lens.sum())
    if total == 0:
        return None
    pair_class = np.repeat(np.arange(len(class_rows)), lens)
    offsets = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    pair_aide = kflat[np.repeat(kptr[class_kind], lens) + offsets]
    pair_seg = class_seg[pair_class]
    day_of = seg_day[pair_seg]
    stacked = np.stack(prefix)  # (7, aides, SLOTS + 1)
    free = (
        stacked[day_of, pair_aide, seg_end[pair_seg]]
        - stacked[day_of, pair_aide, seg_start[pair_seg]]
    ) == (seg_end - seg_start)[pair_seg]
    pair_class, pair_aide, pair_seg = pair_class[free], pair_aide[free], pair_seg[free]
    n_x = len(pair_class)
    if n_x == 0:
        return None
    seg_len = (seg_end - seg_start)[pair_seg].astype(np.float64)
    share = np.array([1.0 / r[1][3] for r in class_rows])[pair_class]
    count = np.array([r[2] for r in class_rows], dtype=np.float64)
    safety = np.array([r[1][4] for r in class_rows], dtype=bool)[pair_class]
    school = np.array([r[1][0] for r in class_rows], dtype=np.int64)[pair_class]
    minutes = SLOT_MINUTES * seg_len * share
    worth = SLOT_MINUTES * seg_len
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[FloatArray] = []
    lo: list[FloatArray] = []
    hi: list[FloatArray] = []
    n_rows = 0
    x_cols = np.arange(n_x, dtype=np.int64)

    def add(row_ids: IntArray, col_ids: IntArray, values: FloatArray, upper: FloatArray) -> int:
        nonlocal n_rows
        rows.append(row_ids + n_rows)
        cols.append(col_ids)
        vals.append(values)
        lo.append(np.full(len(upper), -highspy.kHighsInf))
        hi.append(upper)
        first = n_rows
        n_rows += len(upper)
        return first

    # One aide per slot: a class's students.
    used_class, class_row = np.unique(pair_class, return_inverse=True)
    add(class_row, x_cols, np.ones(n_x), count[used_class])
    # An aide's time in a segment.
    aide_seg = pair_aide * len(segs) + pair_seg
    _, time_row = np.unique(aide_seg, return_inverse=True)
    add(time_row, x_cols, share, np.ones(int(time_row.max()) + 1))
    # Weekly minutes, where an aide could exceed them.
    busy_key, first_pair = np.unique(aide_seg, return_index=True)
    potential = np.zeros(n_aides)
    np.add.at(potential, busy_key // len(segs), SLOT_MINUTES * seg_len[first_pair])
    caps_of = np.array([max(0, w.aide.max_weekly_minutes) for w in aides], dtype=np.float64)
    capped = potential > caps_of
    if capped.any():
        keep = capped[pair_aide]
        ids, week_row = np.unique(pair_aide[keep], return_inverse=True)
        add(week_row, x_cols[keep], minutes[keep], caps_of[ids])
    # Contract caps (this group's share).
    contract_of = np.array(
        [w.aide.contract_id if w.aide.contract_id is not None else -1 for w in aides],
        dtype=np.int64,
    )[pair_aide]
    contract_rows: dict[int, int] = {}
    for contract_id in sorted({int(c) for c in contract_of if c >= 0}):
        keep = contract_of == contract_id
        contract_rows[contract_id] = add(
            np.zeros(int(keep.sum()), dtype=np.int64),
            x_cols[keep],
            minutes[keep],
            np.array([float(max(0, caps.get(contract_id, 0)))]),
        )
    # One school per aide per day: z columns for aides with more than one school that day.
    n_z = 0
    z_school: list[int] = []
    floater = np.array([len(w.aide.school_ids & cluster.schools) > 1 for w in aides])
    candidates = np.nonzero(floater[pair_aide])[0]
    if len(candidates):
        aide_day = pair_aide[candidates] * 7 + seg_day[pair_seg[candidates]]
        order = candidates[np.argsort(aide_day, kind="stable")]
        bounds = np.flatnonzero(np.diff(np.sort(aide_day))) + 1
        for idx in np.split(order, bounds):
            schools = np.unique(school[idx])
            if len(schools) < 2:
                continue
            z_first = n_x + n_z
            n_z += len(schools)
            z_school.extend(int(s) for s in schools)
            z_cols = np.arange(z_first, z_first + len(schools), dtype=np.int64)
            add(np.zeros(len(schools), dtype=np.int64), z_cols, np.ones(len(schools)), np.ones(1))
            group = pair_seg[idx] * len(schools) + np.searchsorted(schools, school[idx])
            uniq, row = np.unique(group, return_inverse=True)
            add(
                np.concatenate([row, np.arange(len(uniq), dtype=np.int64)]),
                np.concatenate([idx, z_cols[uniq % len(schools)]]),
                np.concatenate([share[idx], -np.ones(len(uniq))]),
                np.zeros(len(uniq)),
            )
    n_col = n_x + n_z
    model = WeekModel(
        cluster=cluster,
        aide_of=np.concatenate([pair_aide, np.full(n_z, -1, dtype=np.int64)]),
        seg_of=np.concatenate([pair_seg, np.full(n_z, -1, dtype=np.int64)]),
        school_of=np.concatenate([school, np.array(z_school, dtype=np.int64)]),
        minutes=np.concatenate([minutes, np.zeros(n_z)]),
        worth=np.concatenate([worth, np.zeros(n_z)]),
        safety=np.concatenate([safety, np.zeros(n_z, dtype=bool)]),
        seg_day=seg_day,
        seg_start=seg_start,
        seg_end=seg_end,
        contract_rows=contract_rows,
        caps={c: max(0, caps.get(c, 0)) for c in contract_rows},
        highs=highspy.Highs(),
        n_x=n_x,
    )
    _pass(model, n_col, n_rows, rows, cols, vals, lo, hi)
    return model


def _pass(
    model: WeekModel,
    n_col: int,
    n_rows: int,
    rows: list[IntArray],
    cols: list[IntArray],
    vals: list[FloatArray],
    lo: list[FloatArray],
    hi: list[FloatArray],
) -> None:
    row = np.concatenate(rows)
    col = np.concatenate(cols)
    val = np.concatenate(vals)
    order = np.lexsort((row, col))
    starts = np.searchsorted(col[order], np.arange(n_col))
    h = model.highs
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("solver", "simplex")
    h.passModel(
        n_col,
        n_rows,
        len(val),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize),
        0.0,
        np.zeros(n_col),
        np.zeros(n_col),
        np.concatenate([np.full(model.n_x, highspy.kHighsInf), np.ones(n_col - model.n_x)]),
        np.concatenate(lo),
        np.concatenate(hi),
        starts.astype(np.int32),
        row[order].astype(np.int32),
        val[order],
        np.zeros(n_col, dtype=np.int32),
    )


def _run(model: WeekModel, cost: FloatArray) -> float:
    h = model.highs
    h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"week LP ended with status {h.getModelStatus()}")
    solution = h.getSolution()
    model.solution = np.asarray(solution.col_value)
    model.duals = np.asarray(solution.row_dual)
    model.row_activity = np.asarray(solution.row_value)
    return float(h.getInfo().objective_function_value)


def solve_policy(model: WeekModel) -> tuple[int, int]:
    """(all minutes, safety-tier minutes) of the bound in the policy's order: first the most
    safety-tier minutes, then the most minutes with the safety tier held there. Each rounded
    down to whole slots, which every plan covers in.

    The first solve holds the other tiers' columns at zero (they earn nothing there), so
    presolve drops them; the second starts from its basis with presolve off, which keeps the
    warm start, by the primal simplex (that basis is feasible for it: 10% faster measured)."""
    h = model.highs
    n = len(model.worth)
    others = np.flatnonzero(~model.safety[: model.n_x]).astype(np.int32)
    h.changeColsBounds(len(others), others, np.zeros(len(others)), np.zeros(len(others)))
    safety_cost = model.worth * model.safety
    h.setOptionValue("simplex_strategy", 1)  # dual: a changed bound leaves the basis dual feasible
    best_safety = _run(model, safety_cost)
    model.safety_duals = model.duals.copy()
    model.safety_activity = model.row_activity.copy()
    h.changeColsBounds(
        len(others), others, np.zeros(len(others)), np.full(len(others), highspy.kHighsInf)
    )
    slack = TOLERANCE * max(1.0, best_safety)
    h.addRow(
        best_safety - slack,
        highspy.kHighsInf,
        int(model.safety.sum()),
        np.flatnonzero(model.safety).astype(np.int32),
        safety_cost[model.safety],
    )
    h.setOptionValue("presolve", "off")
    h.setOptionValue("simplex_strategy", 4)  # primal: the first stage's basis stays feasible
    best_total = _run(model, model.worth.copy())
    h.deleteRows(1, np.array([h.getNumRow() - 1], dtype=np.int32))
    model.solution = model.solution[:n]
    model.safety_value, model.total_value = best_safety, best_total
    return _slots(best_total), _slots(best_safety)


def _slots(value: float) -> int:
    return int((value + 1e-4) // SLOT_MINUTES) * SLOT_MINUTES


def set_cap(model: WeekModel, contract_id: int, cap: int) -> None:
    row = model.contract_rows.get(contract_id)
    if row is not None:
        model.caps[contract_id] = max(0, cap)
        model.highs.changeRowBounds(row, -highspy.kHighsInf, float(max(0, cap)))


def contract_use(model: WeekModel, contract_id: int) -> tuple[float, tuple[float, float]]:
    """(minutes used, value of one more minute) of the contract in the last policy solve: the
    most either stage used, and the value in the policy's order (safety-tier minutes, all
    minutes)."""
    row = model.contract_rows.get(contract_id)
    if row is None:
        return 0.0, (0.0, 0.0)
    return max(float(model.row_activity[row]), float(model.safety_activity[row])), (
        abs(float(model.safety_duals[row])),
        abs(float(model.duals[row])),
    )
