"""The parts of the staff scope rule that need students: caseloads, and who reaches a student.

`staffing.tenancy` holds the rule itself (`Scope`: a case manager with schools or a caseload sees
only those students); it cannot read caseloads, which are `Student.case_managers`, so this module
supplies them (registered in `StudentsConfig.ready`). `StaffReach` turns the rule around: given a
student, the district's staff whose scope reaches them, which is whom to tell about that student.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.contrib.auth.base_user import AbstractBaseUser

from staffing.models import District
from staffing.tenancy import district_scopes
from students.models import Student


def caseloads(membership_ids: Collection[int]) -> dict[int, frozenset[int]]:
    """Each case manager's caseload (student ids), in one query."""
    found: dict[int, set[int]] = defaultdict(set)
    for member_id, student_id in Student.case_managers.through.objects.filter(
        membership_id__in=list(membership_ids)
    ).values_list("membership_id", "student_id"):
        found[member_id].add(student_id)
    return {member_id: frozenset(ids) for member_id, ids in found.items()}


class StaffReach:
    """The district's staff whose scope reaches a student (`Scope.reaches_student`): directors,
    the case managers of the student's school, those with the student in their caseload and
    those limited to neither. Active users with an email address only, since the answer is whom
    to tell. Loaded once per district (three queries), then asked per student."""

    def __init__(self, *, district: District) -> None:
        staff = [
            (s.membership.user, s)
            for s in district_scopes(district=district)
            if s.membership is not None and s.membership.user.email
        ]
        self.everywhere = [user for user, scope in staff if not scope.limits_students]
        self.limited = [(user, scope) for user, scope in staff if scope.limits_students]

    def __call__(
        self, school_id: int | None, student_id: int | None = None
    ) -> list[AbstractBaseUser]:
        people = [
            *self.everywhere,
            *(
                user
                for user, scope in self.limited
                if scope.reaches_student(student_id=student_id, school_id=school_id)
            ),
        ]
        unique = {user.pk: user for user in people}
        return sorted(unique.values(), key=lambda user: user.get_username())


def staff_reaching(
    *, district: District, school_id: int | None, student_id: int | None = None
) -> list[AbstractBaseUser]:
    """`StaffReach` for one student."""
    return StaffReach(district=district)(school_id, student_id)
