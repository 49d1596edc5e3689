"""The admin base classes: every admin and inline of tenant-owned rows builds on these, so the
district scope, the choices offered and the permissions cannot be forgotten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from staffing.models import District, TenantModel
from staffing.tenancy.forms import TenantInlineFormSet, TenantModelForm, UsernameField
from staffing.tenancy.scope import EVERY_ROLE, resolve_scope, tenant_queryset

# Who read which student's records through the admin is recorded by the top layer
# (allocations.access), which registers its hook when the app registry is ready: staffing may
# not import it. Called with the request, the model admin, the rows shown and "list" or "page".
StudentReadHook = Callable[[HttpRequest, Any, list[Any], str], None]
_student_read_hook: list[StudentReadHook] = []


def student_reads_to(hook: StudentReadHook) -> None:
    """Register what records the students shown on admin pages (once, from allocations)."""
    _student_read_hook[:] = [hook]


class _TenantOptions:
    """What TenantAdmin and TenantInline share: the scope, the choices and the permissions."""

    # Path from this model to Student ("" for Student itself): limits case managers to their
    # students. None: not student data, district-wide for every member.
    student_path: str | None = None
    # For rows that hold several schools' students at once (a re-plan's list of changes): the
    # field listing their school ids. See `Scope.schools_q`.
    schools_field: str | None = None
    view_roles: frozenset[str] = EVERY_ROLE
    edit_roles: frozenset[str] = EVERY_ROLE
    operator_can_write = False
    # What a reader (no change permission) sees instead of `fields`: display methods showing
    # minutes since midnight as HH:MM, which Django's read-only rendering would show raw.
    view_fields: tuple[str, ...] | None = None

    admin_site: admin.AdminSite
    model: type[models.Model]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset: override get_tenant_queryset instead"
            )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        # super() is the ModelAdmin or TabularInline that follows this mixin in the MRO.
        base = super().get_queryset(request)  # type: ignore[misc]
        queryset = self.scope_queryset(request, base)
        return self.get_tenant_queryset(request, queryset)

    def get_tenant_queryset(
        self, request: HttpRequest, queryset: models.QuerySet[Any]
    ) -> models.QuerySet[Any]:
        """Hook: refine the already scoped queryset; never widen it."""
        return queryset

    def scope_queryset(
        self, request: HttpRequest, queryset: models.QuerySet[Any]
    ) -> models.QuerySet[Any]:
        scope = resolve_scope(request)
        if scope is None:
            return queryset.none()
        return scope.filter(
            queryset, student_path=self.student_path, schools_field=self.schools_field
        )

    def _may(self, request: HttpRequest, roles: frozenset[str], *, write: bool) -> bool:
        scope = resolve_scope(request)
        if scope is None or not request.user.is_staff:
            return False
        if scope.is_operator:
            return self.operator_can_write or not write
        return scope.role in roles

    def may_view(self, request: HttpRequest) -> bool:
        return self._may(request, self.view_roles | self.edit_roles, write=False)

    def may_edit(self, request: HttpRequest) -> bool:
        return self._may(request, self.edit_roles, write=True)

    def choices_for(self, request: HttpRequest, model: type[models.Model]) -> Any:
        """The rows of `model` this user may pick: the related admin's scope when it has one
        (as autocomplete does), else the district's rows. None: not a tenant model."""
        related = self.admin_site._registry.get(model)
        queryset = model._default_manager.all()
        if isinstance(related, _TenantOptions):
            return related.scope_queryset(request, queryset)
        if issubclass(model, TenantModel):
            return tenant_queryset(request, model)
        return None

    def linkable_users(self, request: HttpRequest, db_field: Any) -> models.QuerySet[Any]:
        """Accounts a district user may link by username; platform operators are never
        linkable."""
        return get_user_model()._default_manager.filter(is_active=True, is_superuser=False)

    def _limit(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> Any:
        scope = resolve_scope(request)
        if scope is not None and scope.is_operator:
            return None
        related = db_field.related_model
        if related is District:
            kwargs["queryset"] = District.objects.none()
        elif related is get_user_model():
            return UsernameField(
                self.linkable_users(request, db_field),
                required=not db_field.blank,
                label=db_field.verbose_name.capitalize(),
            )
        else:
            queryset = self.choices_for(request, related)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return None

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        special = self._limit(db_field, request, kwargs)
        if special is not None:
            return special
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        special = self._limit(db_field, request, kwargs)
        if special is not None:
            return special
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self.view_fields is not None and not self.may_edit(request):
            return list(self.view_fields)
        return super().get_fields(request, obj)  # type: ignore[misc]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        scope = resolve_scope(request)
        if scope is None or not scope.is_operator or obj is not None:
            exclude.append("district")
        return exclude


def date_hierarchy_refusal(request: HttpRequest, field: str | None) -> str | None:
    """Why the date drill-down of `field` chosen in the request cannot be shown, or None.

    Django filters a chosen year by "on or after its first day and before the next year's", and
    the year after 9999 is no date: it would fail with a server error."""
    year = request.GET.get(f"{field}__year") if field else None
    if year is None or not year.strip().isdigit() or int(year) < dt.MAXYEAR:
        return None
    return f"Dates can be listed up to the year {dt.MAXYEAR - 1}; {year} is beyond that."


class TenantAdmin(_TenantOptions, admin.ModelAdmin):  # type: ignore[type-arg]
    """Base of every admin of tenant-owned rows. Refine the scoped queryset (select_related,
    annotations) in `get_tenant_queryset`; `get_queryset` itself may not be overridden."""

    form = TenantModelForm

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        return obj

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        refusal = date_hierarchy_refusal(request, self.date_hierarchy)
        if refusal is not None:
            self.message_user(request, refusal, messages.ERROR)
            kept = request.GET.copy()
            for part in ("year", "month", "day"):
                kept.pop(f"{self.date_hierarchy}__{part}", None)
            query = kept.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.status_code == 200:
            cl = (response.context_data or {}).get("cl")
            self.students_read(request, list(cl.result_list) if cl else [], "list")
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if isinstance(response, TemplateResponse) and response.status_code == 200:
            original = (response.context_data or {}).get("original")
            self.students_read(request, [original] if original else [], "page")
        return response

    def students_read(self, request: HttpRequest, objects: list[Any], page: str) -> None:
        """Record the students these rows show, when the model holds students' records."""
        shows_students = self.student_path is not None or self.schools_field is not None
        if shows_students and objects and _student_read_hook:
            _student_read_hook[0](request, self, objects, page)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, change, **kwargs)
        scope = resolve_scope(request)
        form.tenant_district = scope.district if scope else None  # type: ignore[attr-defined]
        return form

    def get_formsets_with_inlines(self, request: HttpRequest, obj: Any = None):  # type: ignore[no-untyped-def]
        scope = resolve_scope(request)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form.tenant_district = scope.district if scope else None
            yield formset, inline

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_display(request))
        scope = resolve_scope(request)
        if scope is not None and scope.is_operator:
            shown.append("district")
        return shown

    def get_list_select_related(self, request: HttpRequest) -> Any:
        related = super().get_list_select_related(request)
        scope = resolve_scope(request)
        if scope is not None and scope.is_operator and isinstance(related, list | tuple):
            return [*related, "district"]
        return related

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        scope = resolve_scope(request)
        if scope is None:
            raise Http404("No district")
        if scope.district is not None:
            if obj.district_id not in (None, scope.district.pk):
                raise Http404("Not your district")
            obj.district = scope.district
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            if isinstance(obj, TenantModel):
                obj.district_id = form.instance.district_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class TenantInline(_TenantOptions, admin.TabularInline):  # type: ignore[type-arg]
    """Base of every inline of tenant-owned rows; same scope and permissions as TenantAdmin."""

    form = TenantModelForm
    formset = TenantInlineFormSet
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request)


class ReadOnlyTenantInline(TenantInline):
    """A table of related rows shown on the parent's page, never edited there."""

    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
