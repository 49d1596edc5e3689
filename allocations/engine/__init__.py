"""ParaCover's allocation engine: pure Python, no Django, deterministic.

Frozen dataclasses in (`Problem`), frozen dataclasses out (`Result`). See docs/allocation.md.
"""

from allocations.engine.bound import FLOW_BOUND_KIND, flow_bound
from allocations.engine.check import check
from allocations.engine.greedy import allocate_greedy
from allocations.engine.model import (
    AbsenceSpan,
    Aide,
    Assignment,
    Block,
    Closure,
    Contract,
    Figures,
    Gap,
    GapReason,
    Mandate,
    Policy,
    Problem,
    Qualification,
    Result,
    School,
    Weekday,
    Window,
)
from allocations.engine.partition import merge_results, partition
from allocations.engine.repair import Change, Engaged, Repair, repair
from allocations.engine.result import aide_minutes_of
from allocations.engine.solve import allocate
from allocations.engine.week import bound
from allocations.engine.weeklp import BOUND_KIND

__all__ = [
    "BOUND_KIND",
    "FLOW_BOUND_KIND",
    "AbsenceSpan",
    "Aide",
    "Assignment",
    "Block",
    "Change",
    "Closure",
    "Contract",
    "Engaged",
    "Figures",
    "Gap",
    "GapReason",
    "Mandate",
    "Policy",
    "Problem",
    "Qualification",
    "Repair",
    "Result",
    "School",
    "Weekday",
    "Window",
    "aide_minutes_of",
    "allocate",
    "allocate_greedy",
    "bound",
    "check",
    "flow_bound",
    "merge_results",
    "partition",
    "repair",
]
