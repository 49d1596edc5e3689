"""The whole week in view: the master step that shares contract caps between groups of schools
by what each gains from them, and the fill of one group guided by its week LP.

Master step: each contract's cap starts split pro rata (`split_caps`). Every group's week LP is
solved with a safety-weighted objective; a group that leaves part of its share unused gives the
unused minutes back, and a group whose next contract minute is worth less than another's gives
part of its share to the group that values it most (the LP's dual price). The LPs are re-solved
warm from their last basis, a few rounds, step halving each round. Prices are compared before
any tie decides, so a cap is neither first come first served nor pro rata.

Guided fill: the group's LP in the policy's order says, per day, how many minutes each contract
and each aide whose weekly cap binds should work, and at which school each floater works. The
day's fill may spend a contract's or such an aide's minutes up to the LP's running total for the
week so far (never Thursday's on Monday); floaters start the day at the LP's school. A second
pass over the week then lifts those limits, so minutes the LP meant for a need the fill could
not take are not lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from allocations.engine.due import DAYS, AideWeek, Cluster, aide_weeks, clusters_of, due_demands
from allocations.engine.fill import fill_cluster_day
from allocations.engine.guidance import Guidance, guidance
from allocations.engine.model import SLOT_MINUTES, Policy, Problem
from allocations.engine.state import Plan
from allocations.engine.weeklp import (
    WeekModel,
    build,
    contract_use,
    set_cap,
    solve_policy,
)

MASTER_ROUNDS = 4
PolishFn = Callable[[Plan, Cluster, int], None]


def _up(minutes: float) -> int:
    return int(-(-(minutes - 0.01) // SLOT_MINUTES)) * SLOT_MINUTES  # LP round-off is not a slot


def split_caps(problem: Problem, clusters: list[Cluster]) -> list[dict[int, int]]:
    """The master step's start: each contract's cap split pro rata to what the cluster could
    use: the smaller of its contract staff's usable minutes and its due student-minutes. Integer
    shares by largest remainder, summing exactly to the cap (ties to the lower cluster index)."""
    shares: list[dict[int, int]] = [{} for _ in clusters]
    due = [
        sum((d.end - d.start) * SLOT_MINUTES for day in c.demands for d in day) for c in clusters
    ]
    for contract in sorted(problem.contracts, key=lambda c: c.id):
        weights: list[int] = []
        for k, cluster in enumerate(clusters):
            supply = 0
            for week in cluster.aides:
                if week.aide.contract_id == contract.id:
                    usable = sum(bin(week.avail[d]).count("1") for d in range(DAYS))
                    supply += min(week.aide.max_weekly_minutes, usable * SLOT_MINUTES)
            weights.append(min(supply, due[k]))
        cap = max(0, contract.weekly_minute_cap)
        total = sum(weights)
        if total == 0:
            if clusters:
                shares[0][contract.id] = cap
            continue
        floors = [cap * w // total for w in weights]
        left = cap - sum(floors)
        order = sorted(range(len(clusters)), key=lambda k: (-(cap * weights[k] % total), k))
        for k in order[:left]:
            floors[k] += 1
        for k, share in enumerate(floors):
            if weights[k] or share:
                shares[k][contract.id] = share
    return shares


def master(
    problem: Problem, clusters: list[Cluster]
) -> tuple[list[dict[int, int]], list[WeekModel | None], list[tuple[int, int]]]:
    """Each contract's cap split between groups; each group's week LP with its share, solved
    in the policy's order; and its bound (all minutes, safety-tier minutes)."""
    shares = split_caps(problem, clusters)
    models: list[WeekModel | None] = []
    results: list[tuple[int, int]] = []
    holders: dict[int, list[int]] = defaultdict(list)
    for k, (cluster, share) in enumerate(zip(clusters, shares, strict=True)):
        model = build(cluster, share)
        models.append(model)
        results.append((0, 0))
        if model is None:
            continue
        for contract_id in model.contract_rows:
            holders[contract_id].append(k)
        if not model.contract_rows:
            # Nothing will change it again: solve it now and free the solver's memory (its
            # solution is kept), so the groups' models are not all held at once.
            results[k] = solve_policy(model)
            model.highs.clear()
    for contract_id, ks in sorted(holders.items()):
        _to_holders(shares, contract_id, ks)
        for k in ks:
            set_cap(_model(models, k), contract_id, shares[k].get(contract_id, 0))
    coupled = {c: ks for c, ks in sorted(holders.items()) if len(ks) > 1}
    involved = {k for ks in coupled.values() for k in ks}
    for k in sorted({k for ks in holders.values() for k in ks}):
        model = _model(models, k)
        results[k] = solve_policy(model)
        if k not in involved:
            model.highs.clear()
    step = 0.5
    best = _value(models)
    for _ in range(MASTER_ROUNDS):
        before = [dict(s) for s in shares]
        changed: set[int] = set()
        stale: set[int] = set()
        for contract_id, ks in coupled.items():
            moved, resolve = _resplit(shares, models, contract_id, ks, step)
            changed |= moved
            stale |= resolve
        if not changed:
            break
        for k in sorted(stale):
            results[k] = solve_policy(_model(models, k))
        value = _value(models)
        if not _better(best, value):
            best = value
        else:
            # Prices are one-sided at a degenerate optimum: a move that lost is undone.
            for k in sorted(changed):
                shares[k] = before[k]
                for contract_id, cap in shares[k].items():
                    set_cap(_model(models, k), contract_id, cap)
                if k in stale:
                    results[k] = solve_policy(_model(models, k))
        step /= 2
    for k in sorted(involved):
        _model(models, k).highs.clear()
    return shares, models, results


def _value(models: list[WeekModel | None]) -> tuple[float, float]:
    """The groups' LP optima together, in the policy's order."""
    live = [m for m in models if m is not None]
    return sum(m.safety_value for m in live), sum(m.total_value for m in live)


def _better(a: tuple[float, float], b: tuple[float, float]) -> bool:
    gain = a[0] - b[0]
    if abs(gain) > 1e-6 * max(1.0, abs(b[0])):
        return gain > 0
    return a[1] - b[1] > 1e-6 * max(1.0, abs(b[1]))


def _model(models: list[WeekModel | None], k: int) -> WeekModel:
    model = models[k]
    if model is None:  # only groups with a model hold a contract's row
        raise ValueError(f"group {k} has no week LP")
    return model


def _to_holders(shares: list[dict[int, int]], contract_id: int, ks: list[int]) -> None:
    """A group whose LP has no use for a contract (no staff of it can serve any need there)
    hands its share to the groups that can, pro rata to their shares."""
    pool = 0
    for k, share in enumerate(shares):
        if k not in ks and share.get(contract_id, 0):
            pool += share[contract_id]
            share[contract_id] = 0
    if pool == 0:
        return
    weights = [shares[k].get(contract_id, 0) + 1 for k in ks]
    total = sum(weights)
    given = 0
    for k, w in zip(ks, weights, strict=True):
        part = pool * w // total
        shares[k][contract_id] = shares[k].get(contract_id, 0) + part
        given += part
    shares[ks[0]][contract_id] += pool - given


def _resplit(
    shares: list[dict[int, int]],
    models: list[WeekModel | None],
    contract_id: int,
    ks: list[int],
    step: float,
) -> tuple[set[int], set[int]]:
    """Move the contract's minutes from groups that leave them unused, or value them less,
    to the groups that value them most; returns the groups whose share changed, and those
    of them whose LP must be solved again."""
    use: dict[int, float] = {}
    price: dict[int, tuple[float, float]] = {}
    for k in ks:
        use[k], price[k] = contract_use(_model(models, k), contract_id)
    before = {k: shares[k].get(contract_id, 0) for k in ks}
    pool = 0
    for k in ks:
        keep = min(before[k], _up(use[k]))
        pool += before[k] - keep
        shares[k][contract_id] = keep
    best = max(price.values())
    if _close(best, (0.0, 0.0)):
        return set(), set()  # nobody would cover more with more minutes
    top = [k for k in ks if _close(price[k], best)]
    for k in ks:
        if k not in top and shares[k][contract_id] > 0:
            give = int(shares[k][contract_id] * step) // SLOT_MINUTES * SLOT_MINUTES
            give = min(shares[k][contract_id], max(give, SLOT_MINUTES))
            shares[k][contract_id] -= give
            pool += give
    if pool == 0:
        for k in ks:
            shares[k][contract_id] = before[k]
        return set(), set()
    weights = [shares[k][contract_id] + SLOT_MINUTES for k in top]
    total = sum(weights)
    given = 0
    for k, w in zip(top, weights, strict=True):
        part = pool * w // total
        shares[k][contract_id] += part
        given += part
    shares[top[0]][contract_id] += pool - given
    changed = {k for k in ks if shares[k][contract_id] != before[k]}
    for k in changed:
        set_cap(_model(models, k), contract_id, shares[k][contract_id])
    # A group that only gave back minutes it did not use keeps its optimum: no re-solve.
    return changed, {k for k in changed if not _close(price[k], (0.0, 0.0)) or k in top}


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(x - y) <= 1e-6 * max(1.0, abs(y)) for x, y in zip(a, b, strict=True))


def _fill_week(
    plan: Plan,
    cluster: Cluster,
    share: dict[int, int],
    guide: Guidance | None,
    policy: Policy,
    polish: PolishFn,
    pins: dict[tuple[int, int], int] | None,
) -> None:
    """Fill the group's week within its contract shares; with `pins` (each floater's school
    by day), following the LP's days (module doc)."""
    if pins is None:
        guide = None
    contracts = sorted(
        {w.aide.contract_id for w in cluster.aides if w.aide.contract_id is not None}
    )
    outside = {c: plan.contract_left.get(c, 0) for c in contracts}
    room = {c: min(outside[c], share.get(c, 0)) for c in contracts}
    spent: dict[int, int] = defaultdict(int)
    aide_spent: dict[int, int] = defaultdict(int)
    days = [d for d in range(DAYS) if cluster.demands[d]]
    for day in days:
        if pins is not None:
            for (aide_id, on), school in sorted(pins.items()):
                if on == day:
                    plan.day_school.setdefault((aide_id, day), school)
        limits = {
            c: _up(sum(guide.contract_days.get(c, [0.0] * DAYS)[: day + 1]))
            if guide is not None
            else room[c]
            for c in contracts
        }
        aide_limits = (
            {
                a: _up(sum(v[: day + 1]))
                for a, v in sorted(guide.aide_days.items())
                if a in plan.minutes_left
            }
            if guide is not None
            else {}
        )
        narrowed = _narrow(cluster, day, guide)
        _fill_day(plan, cluster, day, policy, polish, room, limits, spent, aide_limits, aide_spent)
        for week, avail in narrowed:
            week.avail[day] = avail
    for day in days if guide is not None else []:
        if any(-1 in plan.cover[d.idx] for d in cluster.demands[day]):
            _fill_day(plan, cluster, day, policy, polish, room, dict(room), spent, {}, aide_spent)
    for c in contracts:
        plan.contract_left[c] = outside[c] - spent[c]


def fill_guided(
    plan: Plan,
    cluster: Cluster,
    share: dict[int, int],
    guide: Guidance | None,
    policy: Policy,
    polish: PolishFn,
    bound: tuple[int, int],
) -> None:
    """Fill the group's week, following the LP only where that pays.

    The LP is indifferent to who serves whom across days, so following it costs continuity
    where the fill reaches the safety tier's bound anyway. The week is filled first within
    the group's contract shares alone; while its safety tier falls short of the group's
    bound, it is undone and filled again following the LP, floaters kept at one school for
    the week, then at the LP's school day by day. The best fill (safety tier, then all
    minutes, then fewer aides per mandate) is kept.
    """
    if guide is None or policy.weekly_template:
        pins = None if guide is None else guide.floater_school
        _fill_week(plan, cluster, share, guide, policy, polish, pins)
        return
    choices = [None, guide.floater_home, guide.floater_school]
    best: Attempt | None = None
    best_pins: dict[tuple[int, int], int] | None = None
    current: Attempt | None = None
    for i, pins in enumerate(choices):
        if i and pins == choices[i - 1]:
            continue
        if current is not None:
            _undo(plan, cluster, current[3])
        current = _attempt(plan, cluster, share, guide, policy, polish, pins)
        if best is None or current[:3] > best[:3]:
            best, best_pins = current, pins
        if best[0] >= bound[1]:
            break
    if current is not None and current is not best:
        _undo(plan, cluster, current[3])
        _attempt(plan, cluster, share, guide, policy, polish, best_pins)


Attempt = tuple[int, int, float, list[tuple[int, int, int, int]]]


def _attempt(
    plan: Plan,
    cluster: Cluster,
    share: dict[int, int],
    guide: Guidance,
    policy: Policy,
    polish: PolishFn,
    pins: dict[tuple[int, int], int] | None,
) -> Attempt:
    """Fill the week; (safety-tier minutes, all minutes, minus aides per mandate, the log)."""
    plan.journal = []
    _fill_week(plan, cluster, share, guide, policy, polish, pins)
    journal, plan.journal = plan.journal, None
    safety = total = 0
    mandates: set[int] = set()
    for todays in cluster.demands:
        for d in todays:
            got = sum(1 for a in plan.cover[d.idx] if a != -1) * SLOT_MINUTES
            total += got
            safety += got if d.safety else 0
            mandates.add(d.mandate_id)
    pairs = sum(len(plan.aides_of.get(m, ())) for m in mandates)
    return safety, total, -pairs / max(1, len(mandates)), journal


def _undo(plan: Plan, cluster: Cluster, journal: list[tuple[int, int, int, int]]) -> None:
    """Take back everything a fill of the group did (nothing else had served its aides)."""
    for aide_id, day, start, end in reversed(journal):
        busy = plan.busy.get((aide_id, day), {})
        for slot in range(start, end):
            if slot in busy:
                plan.release(aide_id, day, slot)
    ids = {w.aide.id for w in cluster.aides}
    for key in [k for k in plan.day_school if k[0] in ids]:
        del plan.day_school[key]
    plan.served = {p for p in plan.served if p[0] not in ids}
    for todays in cluster.demands:
        for d in todays:
            plan.aides_of.pop(d.mandate_id, None)
            plan.day_started.discard((d.mandate_id, d.day))


def _narrow(cluster: Cluster, day: int, guide: Guidance | None) -> list[tuple[AideWeek, int]]:
    """For the first pass, keep aides whose minutes are short to the slots the LP spends them
    in; returns what to put back."""
    if guide is None or not guide.slots:
        return []
    narrowed: list[tuple[AideWeek, int]] = []
    for week in cluster.aides:
        mask = guide.slots.get((week.aide.id, day))
        if mask is None and not _short(week, guide):
            continue
        narrowed.append((week, week.avail[day]))
        week.avail[day] &= mask or 0
    return narrowed


def _short(week: AideWeek, guide: Guidance) -> bool:
    return week.aide.id in guide.aide_days or week.aide.contract_id in guide.short_contracts


def _fill_day(
    plan: Plan,
    cluster: Cluster,
    day: int,
    policy: Policy,
    polish: PolishFn,
    room: dict[int, int],
    limits: dict[int, int],
    spent: dict[int, int],
    aide_limits: dict[int, int],
    aide_spent: dict[int, int],
) -> None:
    for c in room:
        plan.contract_left[c] = max(0, min(room[c], limits[c]) - spent[c])
    saved = {a: plan.minutes_left[a] for a in aide_limits}
    for a, limit in aide_limits.items():
        plan.minutes_left[a] = max(0, min(saved[a], limit - aide_spent[a]))
    before = {c: plan.contract_left[c] for c in room}
    before_aide = {a: plan.minutes_left[a] for a in aide_limits}
    fill_cluster_day(plan, cluster, day, policy)
    polish(plan, cluster, day)
    for c in room:
        spent[c] += before[c] - plan.contract_left[c]
    for a in aide_limits:
        used = before_aide[a] - plan.minutes_left[a]
        aide_spent[a] += used
        plan.minutes_left[a] = saved[a] - used


def guides_of(models: list[WeekModel | None]) -> list[Guidance | None]:
    return [guidance(m) if m is not None else None for m in models]


def bound(problem: Problem) -> tuple[int, int]:
    """(student-minutes, safety-tier student-minutes): the week LP's bound in the policy's
    order, with contract caps shared by the master step, as `allocate` reports it."""
    clusters = clusters_of(problem, due_demands(problem), aide_weeks(problem))
    _, _, results = master(problem, clusters)
    return sum(t for t, _ in results), sum(s for _, s in results)
