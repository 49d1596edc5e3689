"""Properties on random small weeks: every plan passes the rule checker, never beats the bound,
and does not depend on the order of its inputs."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocations.engine import (
    AbsenceSpan,
    Aide,
    Block,
    Closure,
    Contract,
    Mandate,
    Problem,
    Qualification,
    School,
    Window,
    allocate,
    allocate_greedy,
    bound,
    check,
    flow_bound,
)

from .conftest import WEEK

QUALS = ("BEHAVIOR", "MEDICAL", "PERSONAL_CARE", "ASL")


def random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    n_schools = rng.randint(1, 3)
    contracts = tuple(
        Contract(
            id=c,
            code=f"C{c}",
            starts_on=WEEK - timedelta(days=10),
            ends_on=WEEK + timedelta(days=rng.randint(0, 6)),
            weekly_minute_cap=15 * rng.randint(0, 40),
            hourly_rate=Decimal("50"),
        )
        for c in (1, 2)
    )
    aides = []
    for a in range(1, rng.randint(2, 9)):
        home = rng.randint(1, n_schools)
        schools = {home} | ({rng.randint(1, n_schools)} if rng.random() < 0.3 else set())
        windows = []
        for d in range(5):
            if rng.random() < 0.85:
                start = 15 * rng.randint(28, 40)
                windows.append(Window(d, start, start + 15 * rng.randint(4, 20)))
        absences = []
        if rng.random() < 0.3:
            start = 15 * rng.randint(32, 40)
            whole = rng.random() < 0.5
            absences.append(
                AbsenceSpan(
                    WEEK + timedelta(days=rng.randint(0, 4)),
                    None if whole else start,
                    None if whole else start + 30,
                )
            )
        aides.append(
            Aide(
                id=a,
                code=f"A{a}",
                school_ids=frozenset(schools),
                max_weekly_minutes=15 * rng.randint(4, 60),
                hourly_cost=Decimal(rng.randint(20, 30)),
                contract_id=rng.choice((None, None, 1, 2)),
                windows=tuple(windows),
                qualifications=tuple(
                    Qualification(
                        q, WEEK + timedelta(days=rng.randint(0, 4)) if rng.random() < 0.3 else None
                    )
                    for q in QUALS
                    if rng.random() < 0.4
                ),
                absences=tuple(absences),
            )
        )
    mandates = []
    blocks = []
    for m in range(1, rng.randint(2, 10)):
        shared = rng.random() < 0.5
        mandates.append(
            Mandate(
                id=m,
                code=f"M{m}",
                student_id=rng.randint(1, 6),
                school_id=rng.randint(1, n_schools),
                support="shared" if shared else "one_to_one",
                max_group=rng.randint(2, 4) if shared else None,
                required_qualifications=frozenset(q for q in QUALS if rng.random() < 0.15),
                starts_on=WEEK + timedelta(days=rng.randint(-3, 3)),
                ends_on=None if rng.random() < 0.7 else WEEK + timedelta(days=rng.randint(1, 5)),
            )
        )
        for _ in range(rng.randint(1, 4)):
            start = 15 * rng.randint(30, 42)
            blocks.append(
                Block(
                    id=len(blocks) + 1,
                    mandate_id=m,
                    setting="classroom",
                    location=rng.choice(("R1", "R2")),
                    weekday=rng.randint(0, 4),
                    start=start,
                    end=start + 15 * rng.randint(1, 8),
                )
            )
    closures = (Closure(WEEK + timedelta(days=rng.randint(0, 4)), rng.choice((None, 1))),)
    return Problem(
        week_start=WEEK,
        schools=tuple(School(s, f"S{s}") for s in range(1, n_schools + 1)),
        aides=tuple(aides),
        contracts=contracts,
        mandates=tuple(mandates),
        blocks=tuple(blocks),
        closures=closures if rng.random() < 0.3 else (),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**9))
def test_every_plan_is_valid_and_within_the_bound(seed: int) -> None:
    problem = random_problem(seed)
    result = allocate(problem)
    assert check(problem, result) == []
    figures = result.figures
    assert figures.bound_minutes <= figures.due_minutes
    assert figures.safety_covered_minutes <= figures.safety_bound_minutes
    assert figures.safety_bound_minutes <= figures.safety_due_minutes
    assert (figures.bound_minutes, figures.safety_bound_minutes) == bound(problem)
    # The bound in the policy's order holds the safety tier at its own bound: a plan that
    # reaches it covers no more than the bound; one that falls short may trade safety-tier
    # minutes for others, and stays within the physical limit of all minutes.
    at_safety_bound = figures.safety_covered_minutes == figures.safety_bound_minutes
    assert figures.covered_minutes <= figures.bound_minutes or not at_safety_bound
    assert figures.covered_minutes <= flow_bound(problem)[0]
    assert check(problem, allocate_greedy(problem)) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_same_result_under_shuffled_input_order(seed: int) -> None:
    problem = random_problem(seed)
    rng = random.Random(seed)

    def shuffled(items: tuple) -> tuple:  # type: ignore[type-arg]
        out = list(items)
        rng.shuffle(out)
        return tuple(out)

    other = replace(
        problem,
        schools=shuffled(problem.schools),
        aides=shuffled(problem.aides),
        mandates=shuffled(problem.mandates),
        blocks=shuffled(problem.blocks),
        contracts=shuffled(problem.contracts),
    )
    first = allocate(problem, clock=lambda: 0.0)
    assert allocate(problem, clock=lambda: 0.0) == first
    assert allocate(other, clock=lambda: 0.0) == first


def test_the_checker_names_each_broken_rule() -> None:
    problem = random_problem(3)
    result = allocate(problem)
    if not result.assignments:
        problem = random_problem(4)
        result = allocate(problem)
    first = result.assignments[0]
    doubled = replace(result, assignments=(*result.assignments, first))
    messages = check(problem, doubled)
    assert any(m.startswith("rule 6") for m in messages)
    moved = replace(first, on=first.on + timedelta(days=1))
    assert any(
        m.startswith("rule 1") for m in check(problem, replace(result, assignments=(moved,)))
    )


def test_importing_the_engine_loads_no_django() -> None:
    code = (
        "import sys, allocations.engine; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('django', 'rest_framework', 'celery')))"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_the_optional_weekly_template_keeps_every_rule(seed: int) -> None:
    problem = random_problem(seed)
    problem = replace(problem, policy=replace(problem.policy, weekly_template=True))
    result = allocate(problem)
    assert check(problem, result) == []
    figures = result.figures
    assert figures.safety_covered_minutes <= figures.safety_bound_minutes
    at_safety_bound = figures.safety_covered_minutes == figures.safety_bound_minutes
    assert figures.covered_minutes <= figures.bound_minutes or not at_safety_bound
    assert figures.covered_minutes <= flow_bound(problem)[0]
