"""Independent groups of schools, the contract-cap master step, and recombination."""

from __future__ import annotations

from allocations.engine import allocate, check, merge_results, partition

from .conftest import Builder


def district(make: Builder):  # type: ignore[no-untyped-def]
    aides = (
        make.aide(1, schools=(1, 2), contract_id=7),
        make.aide(2, schools=(2,), contract_id=7),
        make.aide(3, schools=(3,), contract_id=7),
        make.aide(4, schools=(4,)),
    )
    mandates = tuple(make.mandate(i, school=s) for i, s in ((1, 1), (2, 2), (3, 3), (4, 4)))
    blocks = tuple(b for m in mandates for b in make.blocks(m.id * 10, m.id, "09:00", "11:00"))
    return make.problem(
        aides=aides,
        mandates=mandates,
        blocks=blocks,
        schools=(1, 2, 3, 4),
        contracts=(make.contract(7, cap=1001),),
    )


def test_partition_keeps_linked_schools_together_and_splits_caps(make: Builder) -> None:
    problem = district(make)
    groups = partition(problem)
    assert [sorted(s.id for s in g.schools) for g in groups] == [[1, 2], [3], [4]]
    assert [sorted(a.id for a in g.aides) for g in groups] == [[1, 2], [3], [4]]
    caps = [g.contracts[0].weekly_minute_cap for g in groups]
    assert sum(caps) == 1001
    assert caps == [667, 334, 0]


def test_merged_groups_are_valid_and_recount_the_figures(make: Builder) -> None:
    problem = district(make)
    merged = merge_results(problem, [allocate(g) for g in partition(problem)])
    whole = allocate(problem)
    assert check(problem, merged) == []
    assert merged.figures.due_minutes == whole.figures.due_minutes == 2400
    # Contract staff cover what the cap allows (667 + 334 -> 660 + 330 minutes), aide 4 the rest.
    assert merged.figures.covered_minutes == whole.figures.covered_minutes == 1590
    assert merged.figures.contract_minutes == 990
    assert merged.figures.bound_minutes == whole.figures.bound_minutes
