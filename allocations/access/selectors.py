"""Reading the record of access: who read one child's records, as their parent sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from allocations.access.models import StudentAccess
from staffing.models import District
from students.models import Student

# A state complaint reaches one year back; the parent's page shows a little more than that.
PARENT_LOG_DAYS = 400
PARENT_LOG_ROWS = 200


@dataclass(frozen=True)
class AccessLine:
    at: dt.datetime
    role: str  # StudentAccess.Role value
    name: str  # the reader's full name then; "" when the account had none
    door: str  # StudentAccess.Door value
    what: str


def student_access_for_parent(
    *, district: District, student: Student, viewer: Any
) -> list[AccessLine]:
    """Who read the child's records in the last PARENT_LOG_DAYS, newest first, by code so that
    reads before a re-import count too; the parent's own reads are left out (they are theirs),
    another guardian's are shown without a name."""
    since = timezone.now() - dt.timedelta(days=PARENT_LOG_DAYS)
    rows = (
        StudentAccess.objects.filter(district=district, student_code=student.code, at__gte=since)
        .exclude(user_id=viewer.pk)
        .order_by("-at", "-pk")
        .values_list("at", "role", "user_name", "door", "what")[:PARENT_LOG_ROWS]
    )
    return [
        AccessLine(
            at=at,
            role=role,
            name="" if role == StudentAccess.Role.PARENT else name,
            door=door,
            what=what,
        )
        for at, role, name, door, what in rows
    ]
