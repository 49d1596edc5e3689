"""Writing the record of access: `student_records_read` for every door (the API, the portal,
the reports, the exports) and `admin_students_read`, the hook the tenant admin base class calls
for its list and change pages (registered in `AllocationsConfig.ready`, since staffing may not
import this layer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from allocations.access.models import StudentAccess
from staffing.models import District, Membership
from staffing.tenancy import resolve_scope
from students.models import Guardian, ParaMandate, Student

Door = StudentAccess.Door
Role = StudentAccess.Role
_ROLE_CACHE = "_paracover_access_role"


def _logging() -> bool:
    # Off only in the access-log benchmark, which measures the pages without it.
    return bool(getattr(settings, "STUDENT_ACCESS_LOG", True))


def _role(user: Any) -> str:
    """The reader's role, looked up once per user object (one request)."""
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is not None:
        return str(cached)
    if user.is_superuser:
        role = Role.OPERATOR
    else:
        member = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True).first()
        if member is not None:
            role = Role(member)
        elif Guardian.objects.filter(user_id=user.pk).exists():
            role = Role.PARENT
        else:
            role = Role.OTHER
    setattr(user, _ROLE_CACHE, role)
    return str(role)


def _write(
    *, user: Any, role: str, reads: Iterable[tuple[int, str, int]], what: str, door: str
) -> int:
    """One bulk insert: a row per distinct (student id, code, district id) read."""
    if not user.is_authenticated:
        raise ValueError("Only a signed-in user reads students' records.")
    at = timezone.now()
    name = user.get_full_name().strip()[:300]
    rows = [
        StudentAccess(
            district_id=district_id,
            at=at,
            user_id=user.pk,
            user_name=name,
            role=role,
            student_id=student_id,
            student_code=code,
            what=what[:200],
            door=Door(door),
        )
        for student_id, code, district_id in sorted(set(reads))
    ]
    StudentAccess.objects.bulk_create(rows)
    return len(rows)


def student_records_read(
    *, district: District, user: Any, students: Iterable[Student], what: str, door: str
) -> int:
    """Record that `user` read the records of `students` (of `district`) through `door`
    (`StudentAccess.Door`): one row per distinct student, one insert. `what` says what was read
    ("child page", "GET /api/v1/students/"). Returns the number of rows written (0 when the
    benchmark's switch is off). A student of another district is a programming error."""
    if not _logging():
        return 0
    reads = []
    for student in students:
        if student.district_id != district.pk:
            raise ValueError(f"Student {student.pk} is not of district {district.pk}.")
        reads.append((student.pk, student.code, district.pk))
    if not reads:
        return 0
    return _write(user=user, role=_role(user), reads=reads, what=what, door=door)


def student_ids_read(
    *, district: District, user: Any, student_ids: Iterable[int], what: str, door: str
) -> int:
    """`student_records_read` for students known by id (a report's rows): one query for their
    codes, ids of other districts ignored."""
    if not _logging():
        return 0
    ids = sorted(set(student_ids))
    if not ids:
        return 0
    students = Student.objects.filter(district=district, pk__in=ids).only("pk", "code", "district")
    return student_records_read(
        district=district, user=user, students=students, what=what, door=door
    )


def _plan_repair_students(pks: list[Any]) -> list[tuple[int, str, int]]:
    """A re-plan names its students through the mandates of its changes and gaps (codes)."""
    from allocations.models import PlanRepair

    codes: dict[int, set[str]] = {}
    for district_id, changes, gaps in PlanRepair.objects.filter(pk__in=pks).values_list(
        "district_id", "changes", "unstaffed"
    ):
        codes.setdefault(district_id, set()).update(
            str(row.get("mandate", "")) for row in [*changes, *gaps]
        )
    query = models.Q(pk__in=[])
    for district_id, mandate_codes in codes.items():
        query |= models.Q(district_id=district_id, code__in=sorted(mandate_codes))
    return list(
        ParaMandate.objects.filter(query).values_list(
            "student_id", "student__code", "student__district_id"
        )
    )


def _admin_reads(model_admin: Any, objects: list[Any]) -> list[tuple[int, str, int]]:
    model = model_admin.model
    pks = [obj.pk for obj in objects]
    if model is Student:
        return [(obj.pk, obj.code, obj.district_id) for obj in objects]
    if model_admin.student_path is not None:
        prefix = f"{model_admin.student_path}__" if model_admin.student_path else ""
        fields = (f"{prefix}pk", f"{prefix}code", f"{prefix}district_id")
        found = model._default_manager.filter(pk__in=pks).values_list(*fields)
        return [read for read in found if read[0] is not None]
    if model_admin.schools_field is not None:
        return _plan_repair_students(pks)
    return []


def admin_students_read(
    request: HttpRequest, model_admin: Any, objects: list[Any], page: str
) -> None:
    """The tenant admin's hook: the students shown by `objects` on a list page or a change page
    (`page`), one query to find them and one insert."""
    if not _logging() or not objects:
        return
    reads = _admin_reads(model_admin, objects)
    if not reads:
        return
    scope = resolve_scope(request)
    if scope is not None and scope.is_operator:
        role = str(Role.OPERATOR)
    elif scope is not None and scope.role:
        role = str(Role(scope.role))
    else:
        role = _role(request.user)
    opts = model_admin.model._meta
    what = f"{opts.verbose_name_plural} list" if page == "list" else f"{opts.verbose_name} page"
    _write(user=request.user, role=role, reads=reads, what=what, door=Door.ADMIN)


def api_students_read(
    sender: Any, *, scope: Any, student_ids: list[int], what: str, door: str, **kwargs: Any
) -> None:
    """The API's call site (`staffing.api.base.student_records_read`, a signal sent once per
    answer that shows students): one query for the codes, one insert. A token acts as the
    director who made it, so the row names that director."""
    if not _logging() or scope is None or scope.district is None or not student_ids:
        return
    user = scope.membership.user
    role = str(Role(scope.role)) if scope.role else _role(user)
    reads = Student.objects.filter(district=scope.district, pk__in=sorted(set(student_ids)))
    _write(
        user=user,
        role=role,
        reads=reads.values_list("pk", "code", "district_id"),
        what=f"API {what}",
        door=door,
    )
