"""Resolving who a request belongs to, once, and the admin base classes that enforce it.

Rules:
- A staff user works in exactly one district, through their `Membership`. Superusers are
  platform operators: they see every district and are nobody's director.
- Every admin queryset is filtered to the user's district; an object of another district is a
  404 (the change, delete and history views look objects up through the scoped queryset).
- Foreign-key and many-to-many choices offer only rows of the same district, in the same scope.
- A case manager with schools, or with a caseload (`Student.case_managers`), sees only those
  students and what hangs off them; one with neither sees the whole district.
- Directors may change everything in their district. Case managers may change students,
  mandates, blocks, guardians, absences and aides' qualifications and availability; schools,
  contracts, memberships and aides themselves are the director's (`director_only`).
- The `district` of a new row is set from the user's membership, never from the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

from staffing.models import Membership, TenantModel

_CACHE = "_paracover_membership"


def membership_for(user: Any) -> Membership | None:
    """The user's membership (with its district), cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE):
        setattr(
            user,
            _CACHE,
            Membership.objects.select_related("district").filter(user_id=user.pk).first(),
        )
    return getattr(user, _CACHE)  # type: ignore[no-any-return]


def student_scope(membership: Membership, path: str) -> Q | None:
    """Q limiting rows reached through `path` (to a Student) to a case manager's students, or
    None when the membership sees the whole district."""
    if membership.role != Membership.Role.CASE_MANAGER:
        return None
    school_ids = list(membership.schools.values_list("id", flat=True))
    has_caseload = membership.caseload.exists()
    if not school_ids and not has_caseload:
        return None
    prefix = f"{path}__" if path else ""
    scope = Q()
    if school_ids:
        scope |= Q(**{f"{prefix}school_id__in": school_ids})
    if has_caseload:
        scope |= Q(**{f"{prefix}case_managers": membership})
    return scope


class _Scoped:
    """What TenantAdmin and TenantInline share."""

    # Path from this model to Student, for case managers' scope (None: not student data).
    student_path: str | None = None
    director_only = False

    def scoped(self, request: HttpRequest, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if request.user.is_superuser:
            return qs
        membership = membership_for(request.user)
        if membership is None:
            return qs.none()
        qs = qs.filter(district=membership.district)
        if self.student_path is not None:
            scope = student_scope(membership, self.student_path)
            if scope is not None:
                qs = qs.filter(scope).distinct()
        return qs

    def _allowed(self, request: HttpRequest, *, write: bool) -> bool:
        if request.user.is_superuser:
            return True
        membership = membership_for(request.user)
        if membership is None or not request.user.is_staff:
            return False
        if write and self.director_only:
            return membership.role == Membership.Role.DIRECTOR
        return True

    def limit_choices(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        related = db_field.related_model
        if request.user.is_superuser or not issubclass(related, TenantModel):
            return
        membership = membership_for(request.user)
        qs = related._default_manager.none()
        if membership is not None:
            qs = related._default_manager.filter(district=membership.district)
            if related._meta.label == "students.Student":
                scope = student_scope(membership, "")
                if scope is not None:
                    qs = qs.filter(scope).distinct()
        kwargs["queryset"] = qs


class TenantAdmin(_Scoped, admin.ModelAdmin):  # type: ignore[type-arg]
    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return self.scoped(request, super().get_queryset(request))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            exclude.append("district")
        return exclude

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, write=False)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, write=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=True)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        membership = membership_for(request.user)
        if membership is not None and not request.user.is_superuser:
            obj.district = membership.district
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in instances:
            if isinstance(obj, TenantModel):
                obj.district_id = form.instance.district_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class TenantInline(_Scoped, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return self.scoped(request, super().get_queryset(request))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*(super().get_exclude(request, obj) or []), "district"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=False)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, write=True)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self.limit_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedFilter(admin.SimpleListFilter):
    """A list filter whose choices come from the user's own district only."""

    model: type[TenantModel]
    label_field = "code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        membership = membership_for(request.user)
        qs = self.model._default_manager.all()
        if not request.user.is_superuser:
            if membership is None:
                return []
            qs = qs.filter(district=membership.district)
        return [(pk, str(label)) for pk, label in qs.values_list("pk", self.label_field)]
