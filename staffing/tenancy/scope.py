"""Who a staff user is and what they may reach: the `Scope`, resolved once per request or call.

Caseloads (`Student.case_managers`) belong to the students app, which staffing may not import:
students registers its `CaseloadSource` when the app registry is ready (`caseloads_from`). A case
manager's scope is never built without it, since a missing caseload would widen their view to
the whole district.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import DateField, Exists, OuterRef, Q, Value
from django.http import HttpRequest

from staffing.models import District, Membership
from staffing.selectors import district_today

logger = logging.getLogger(__name__)

DIRECTOR = Membership.Role.DIRECTOR
CASE_MANAGER = Membership.Role.CASE_MANAGER
EVERY_ROLE = frozenset({DIRECTOR, CASE_MANAGER})
DIRECTORS = frozenset({DIRECTOR})

_CACHE = "_paracover_scope"
_NO_SCOPE = object()

# Membership ids in, each one's caseload (student ids) out; memberships without one may be left
# out of the answer.
CaseloadSource = Callable[[Collection[int]], dict[int, frozenset[int]]]
_caseload_source: list[CaseloadSource] = []


def caseloads_from(source: CaseloadSource) -> None:
    """Register where case managers' caseloads come from (once, from the students app)."""
    _caseload_source[:] = [source]


def _caseloads(membership_ids: Collection[int]) -> dict[int, frozenset[int]]:
    if not membership_ids:
        return {}
    if not _caseload_source:
        raise ImproperlyConfigured(
            "No caseload source registered: a case manager's scope cannot be resolved."
        )
    return _caseload_source[0](membership_ids)


@dataclass(frozen=True)
class Scope:
    """What one signed-in staff user may reach. `district` is None only for operators."""

    user_id: int
    district: District | None
    membership: Membership | None
    school_ids: frozenset[int] = frozenset()
    caseload_ids: frozenset[int] = frozenset()

    @property
    def is_operator(self) -> bool:
        return self.district is None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def limits_students(self) -> bool:
        """A case manager with schools or a caseload sees only those students."""
        return self.role == CASE_MANAGER and bool(self.school_ids or self.caseload_ids)

    def students_q(self, path: str) -> Q:
        """Rows whose student, reached through `path` ("" for Student itself), is in scope."""
        if not self.limits_students:
            return Q()
        prefix = f"{path}__" if path else ""
        q = Q()
        if self.school_ids:
            q |= Q(**{f"{prefix}school_id__in": sorted(self.school_ids)})
        if self.caseload_ids:
            q |= Q(**{f"{prefix}pk__in": sorted(self.caseload_ids)})
        return q

    def schools_q(self, field: str) -> Q:
        """Rows that name the students of the schools listed in `field` (a JSON list of school
        ids): in scope when every one of those schools is. A case manager limited by caseload
        alone reaches none of them, since each names students outside any caseload."""
        if not self.limits_students:
            return Q()
        return Q(**{f"{field}__contained_by": sorted(self.school_ids)})

    def reaches_student(self, *, student_id: int | None, school_id: int | None) -> bool:
        """`students_q` for one student already at hand: in scope or not."""
        if not self.limits_students:
            return True
        return school_id in self.school_ids or student_id in self.caseload_ids

    def filter(
        self,
        queryset: models.QuerySet[Any],
        *,
        student_path: str | None = None,
        schools_field: str | None = None,
    ) -> models.QuerySet[Any]:
        """The queryset limited to this scope: the district, then the case manager's students
        (reached through `student_path`, or listed by school in `schools_field`)."""
        if self.district is None:
            return queryset
        queryset = queryset.filter(district=self.district)
        if student_path is not None:
            queryset = queryset.filter(self.students_q(student_path))
        if schools_field is not None:
            queryset = queryset.filter(self.schools_q(schools_field))
        return queryset


def _member_scopes(memberships: list[Membership]) -> list[Scope]:
    """Each membership's scope: its schools and caseload loaded in two queries for all."""
    managers = [m.pk for m in memberships if m.role == CASE_MANAGER]
    schools: dict[int, set[int]] = defaultdict(set)
    for member_id, school_id in Membership.schools.through.objects.filter(
        membership_id__in=managers
    ).values_list("membership_id", "school_id"):
        schools[member_id].add(school_id)
    caseloads = _caseloads(managers)
    return [
        Scope(
            user_id=m.user_id,
            district=m.district,
            membership=m,
            school_ids=frozenset(schools.get(m.pk, ())),
            caseload_ids=caseloads.get(m.pk, frozenset()),
        )
        for m in memberships
    ]


def scope_for_user(user: Any) -> Scope | None:
    """Resolve a user's scope from the database; None when they may not see any district."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Scope(user_id=user.pk, district=None, membership=None)
    memberships = list(Membership.objects.select_related("district").filter(user_id=user.pk)[:2])
    if len(memberships) != 1:
        if memberships:
            logger.warning("user %s has memberships in several districts: refused", user.pk)
        return None
    return _member_scopes(memberships)[0]


def district_scopes(*, district: District) -> list[Scope]:
    """The scope of every member of the district that `scope_for_user` would grant one (active,
    not an operator, no membership elsewhere), each with `membership.user` loaded."""
    elsewhere = Membership.objects.filter(user=OuterRef("user_id")).exclude(district=district)
    members = (
        Membership.objects.filter(district=district, user__is_active=True, user__is_superuser=False)
        .exclude(Exists(elsewhere))
        .select_related("user", "district")
        .order_by("pk")
    )
    return _member_scopes(list(members))


def district_staff_scope(*, user: Any, district_id: int, refusal: str) -> Scope:
    """The scope of a user who acts on a row of `district_id` outside the admin (a service
    call): its own staff only; parents, operators, anonymous users and other districts' staff
    get PermissionDenied(`refusal`)."""
    scope = scope_for_user(user)
    if scope is None or scope.district is None or scope.district.pk != district_id:
        raise PermissionDenied(refusal)
    return scope


def resolve_scope(request: HttpRequest) -> Scope | None:
    """The request's scope, resolved once and kept on the request."""
    cached = getattr(request, _CACHE, _NO_SCOPE)
    if cached is _NO_SCOPE:
        cached = scope_for_user(request.user)
        setattr(request, _CACHE, cached)
    return cached  # type: ignore[return-value]


def request_today(request: HttpRequest) -> dt.date:
    """Today in the request's district (the server's for operators)."""
    scope = resolve_scope(request)
    return district_today(district=scope.district if scope else None)


def today_value(request: HttpRequest) -> Value:
    """`request_today` as a constant annotation (`.annotate(as_of=today_value(request))`), so
    display methods, which see only the row, know the date without touching the request."""
    return Value(request_today(request), output_field=DateField())


def tenant_queryset(request: HttpRequest, model: type[models.Model]) -> models.QuerySet[Any]:
    """Every row of a tenant model in the request's district (none without a scope). For list
    filters' values and choices that are district-wide by nature (schools, contracts...)."""
    scope = resolve_scope(request)
    queryset = model._default_manager.all()
    if scope is None:
        return queryset.none()
    return scope.filter(queryset)
