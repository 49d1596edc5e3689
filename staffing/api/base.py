"""What every API view builds on: the tenant base class (`TenantViewSet`) and the signal that
tells the record of access what the API showed. Its permission, pagination and throttles are in
`policy`, the error shape in `errors` (modules DRF's settings load, which must not import DRF's
views).

`TenantViewSet` is the API's `TenantAdmin` (in the manner of PostHog's `posthog/api/routing.py`):
it resolves the caller's `Scope` once, with `staffing.tenancy.resolve_scope`, and every queryset
goes through `Scope.filter` with the view's `student_path`, so a row outside the caller's
district or students is not found (a 404, like an id that does not exist). Subclasses cannot
override `get_queryset`; they refine the scoped rows in `get_tenant_queryset`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.dispatch import Signal
from rest_framework import exceptions, viewsets

from staffing.api.policy import Pages, StaffOnly
from staffing.models import District
from staffing.tenancy import EVERY_ROLE, Scope, resolve_scope

__all__ = ["Pages", "StaffOnly", "TenantViewSet", "student_records_read"]

# Sent once per answer that shows students' records: `scope` (who), `student_ids`, `what`
# (the view's basename) and `door` ("api"). The record of access (FERPA 34 CFR 99.32) listens.
student_records_read = Signal()


class TenantViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The base of every API view: see the module docstring."""

    permission_classes = [StaffOnly]
    # Path from the model to Student ("" for Student itself); None: not student data, which
    # every member of the district reaches (as in the admin).
    student_path: str | None = None
    # Rows listing several schools' students (see `Scope.schools_q`).
    schools_field: str | None = None
    # Roles that may write (POST, PATCH, DELETE) through this view.
    write_roles: frozenset[str] = EVERY_ROLE

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset: override get_tenant_queryset instead"
            )

    @property
    def scope(self) -> Scope:
        scope = resolve_scope(self.request)
        if scope is None or scope.district is None:
            # StaffOnly let nobody else in; a view called without it fails closed.
            raise exceptions.PermissionDenied
        return scope

    @property
    def district(self) -> District:
        district = self.scope.district
        assert district is not None  # noqa: S101 - `scope` refused operators
        return district

    def get_queryset(self) -> models.QuerySet[Any]:
        scoped = self.scope.filter(
            super().get_queryset(), student_path=self.student_path, schools_field=self.schools_field
        )
        return self.get_tenant_queryset(scoped)

    def get_tenant_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """Hook: refine the already scoped queryset; never widen it."""
        return queryset

    def get_object(self) -> Any:
        row = super().get_object()
        self.student_records_read([row])
        return row

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        self.student_records_read(page if page is not None else queryset)
        return page

    def student_records_read(self, rows: Iterable[Any]) -> None:
        """The one place where the API shows students' records: tells the record of access
        which students the answer shows."""
        if self.student_path is None:
            return
        student_ids = sorted(
            {i for i in (_student_id(row, self.student_path) for row in rows) if i}
        )
        if student_ids:
            student_records_read.send(
                sender=type(self),
                scope=self.scope,
                student_ids=student_ids,
                what=self.basename,
                door="api",
            )


def _student_id(row: Any, path: str) -> int | None:
    if not path:
        return int(row.pk)
    *through, last = path.split("__")
    for name in through:
        row = getattr(row, name)
        if row is None:
            return None
    value = getattr(row, f"{last}_id")
    return int(value) if value is not None else None
