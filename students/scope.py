"""The part of the staff scope rule that needs students: caseloads.

`staffing.tenancy` holds the rule itself (`Scope`: a case manager with schools or a caseload sees
only those students); it cannot read caseloads, which are `Student.case_managers`, so this module
supplies them (registered in `StudentsConfig.ready`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from students.models import Student


def caseloads(membership_ids: Collection[int]) -> dict[int, frozenset[int]]:
    """Each case manager's caseload (student ids), in one query."""
    found: dict[int, set[int]] = defaultdict(set)
    for member_id, student_id in Student.case_managers.through.objects.filter(
        membership_id__in=list(membership_ids)
    ).values_list("membership_id", "student_id"):
        found[member_id].add(student_id)
    return {member_id: frozenset(ids) for member_id, ids in found.items()}
