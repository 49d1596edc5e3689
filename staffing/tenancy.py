"""Who a request belongs to, resolved once, and the admin base classes that enforce it.

In the manner of PostHog's `posthog/api/routing.py`: the tenant filter lives in one base class,
and subclasses cannot override `get_queryset` (they refine the already scoped queryset in
`get_tenant_queryset`), so forgetting the filter is impossible rather than merely unlikely.

Who is who:
- A staff user belongs to exactly one district, through one `Membership`. A user with two
  memberships is refused everywhere until an operator removes one (fail closed, never guess).
- Superusers are platform operators: they see every district, are nobody's director, and may
  only provision access (memberships); district data is the district's to write.
- A parent is a user with `Guardian` rows and no membership; the admin is closed to them (their
  entry point is the read-only portal, scoped by their own guardian rows).

What the admin enforces:
- Every queryset, every foreign-key and many-to-many choice, every list filter's values and every
  autocomplete result (Django's autocomplete view reads the target admin's `get_queryset`) is
  limited to the user's district.
- A case manager with schools or a caseload (`Student.case_managers`) sees only those students
  and what hangs off them (mandates, blocks, guardians, allocation rows); one with neither sees
  every student of the district. Staffing data (aides, absences, schools) stays district-wide for
  every member: aides float between schools, and finding cover is the case manager's job.
- An object outside the scope is a 404 on its change, delete and history pages, exactly like an
  id that does not exist (Django's own answer would be a redirect with a "does not exist"
  message).
- `district` is never a form field for a district user: new rows take the user's district before
  validation, so the district-leading unique constraints are checked as form errors.
- A form value of another district is refused even when it slips past the choices (defense in
  depth, and what keeps an operator's membership form consistent).

Who may write (`edit_roles`):
- Directors: everything of their district, memberships included (but not their own, so they
  cannot lock themselves out).
- Case managers: students, mandates and blocks in their scope; aides with their schools,
  qualifications and availability; absences. Schools, contracts, closures, memberships and
  guardian links (which open a child's records to a parent) are the director's. Case managers
  may read all of those but memberships.
- Operators: view everything; write memberships only (`operator_can_write`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import DateField, Q, Value
from django.http import Http404, HttpRequest

from staffing.models import District, Membership, School, TenantModel
from staffing.selectors import district_today

logger = logging.getLogger(__name__)

DIRECTOR = Membership.Role.DIRECTOR
CASE_MANAGER = Membership.Role.CASE_MANAGER
EVERY_ROLE = frozenset({DIRECTOR, CASE_MANAGER})
DIRECTORS = frozenset({DIRECTOR})

_CACHE = "_paracover_scope"
_NO_SCOPE = object()


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

    def reaches_student(self, *, student_id: int, school_id: int | None) -> bool:
        """`students_q` for one student already at hand: in scope or not."""
        if not self.limits_students:
            return True
        return school_id in self.school_ids or student_id in self.caseload_ids

    def filter(
        self, queryset: models.QuerySet[Any], *, student_path: str | None = None
    ) -> models.QuerySet[Any]:
        """The queryset limited to this scope: the district, then the case manager's students."""
        if self.district is None:
            return queryset
        queryset = queryset.filter(district=self.district)
        if student_path is not None:
            queryset = queryset.filter(self.students_q(student_path))
        return queryset


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
    membership = memberships[0]
    if membership.role != CASE_MANAGER:
        return Scope(user_id=user.pk, district=membership.district, membership=membership)
    school_ids = frozenset(membership.schools.values_list("pk", flat=True))
    caseload = Membership.caseload.through.objects.filter(membership_id=membership.pk).values_list(
        "student_id", flat=True
    )
    return Scope(
        user_id=user.pk,
        district=membership.district,
        membership=membership,
        school_ids=school_ids,
        caseload_ids=frozenset(caseload),
    )


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


class TenantModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that knows its district before it validates, and refuses foreign rows."""

    tenant_district: ClassVar[District | None] = None
    foreign_row_message = "Choose one of your district's own records."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.tenant_district is not None and self.instance.district_id is None:
            self.instance.district = self.tenant_district

    def _district_id(self) -> int | None:
        chosen = self.cleaned_data.get("district")
        if isinstance(chosen, District):
            return chosen.pk
        return self.instance.district_id  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        district_id = self._district_id()
        for name, value in list(cleaned.items()):
            rows: Iterable[Any] = (
                value if isinstance(value, models.QuerySet | list | tuple) else [value]
            )
            if any(isinstance(row, TenantModel) and row.district_id != district_id for row in rows):
                self.add_error(name, self.foreign_row_message)
        return cleaned

    def _get_validation_exclusions(self) -> set[str]:
        # Django skips every constraint naming a field that is not on the form, and all our
        # unique constraints lead with `district`: validate it, it is set before validation.
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        if self.instance.district_id is not None:
            exclude.discard("district")
        return exclude


class TenantInlineFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """New inline rows take the parent's district (the parent's form has already set it)."""

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        if form.instance.district_id is None and self.instance.district_id is not None:
            form.instance.district_id = self.instance.district_id
        return form

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        # Django validates a row's hidden id against every row of the table, which would tell
        # an existing id of another district from a missing one: accept this parent's rows only.
        if self.model is None:
            return
        field = form.fields.get(self.model._meta.pk.name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = self.get_queryset()


class UsernameField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A user picked by typing their exact username: a select would list other districts'
    people, since users are not tenant rows."""

    widget = forms.TextInput

    def __init__(self, queryset: models.QuerySet[Any], **kwargs: Any) -> None:
        kwargs.pop("widget", None)
        kwargs.setdefault("help_text", "The person's exact username.")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "No account that can be linked has this username."}
        )
        super().__init__(queryset, to_field_name="username", **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return (
                get_user_model().objects.filter(pk=value).values_list("username", flat=True).first()
            )
        return super().prepare_value(value)


class _TenantOptions:
    """What TenantAdmin and TenantInline share: the scope, the choices and the permissions."""

    # Path from this model to Student ("" for Student itself): limits case managers to their
    # students. None: not student data, district-wide for every member.
    student_path: str | None = None
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
        return scope.filter(queryset, student_path=self.student_path)

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


class TenantAdmin(_TenantOptions, admin.ModelAdmin):  # type: ignore[type-arg]
    """Base of every admin of tenant-owned rows. Refine the scoped queryset (select_related,
    annotations) in `get_tenant_queryset`; `get_queryset` itself may not be overridden."""

    form = TenantModelForm

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        return obj

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


class TenantListFilter(admin.SimpleListFilter):
    """A list filter whose values come from the user's own district (Django's
    RelatedFieldListFilter would list every district's rows). Values that are not ours simply
    match nothing, since the filter narrows the already scoped queryset."""

    def value_id(self) -> int | None:
        value = self.value()
        return int(value) if value and value.isdigit() else None


class SchoolListFilter(TenantListFilter):
    """Filter by one of the district's schools; subclasses say how rows reach a school."""

    title = "school"
    parameter_name = "school"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        schools = tenant_queryset(request, School).order_by("name", "code")
        return [
            (str(pk), f"{name} ({code})")
            for pk, code, name in schools.values_list("pk", "code", "name")
        ]

    def filter_school(self, queryset: models.QuerySet[Any], school_id: int) -> models.QuerySet[Any]:
        return queryset.filter(school_id=school_id)

    def queryset(
        self, request: HttpRequest, queryset: models.QuerySet[Any]
    ) -> models.QuerySet[Any]:
        if self.value() is None:
            return queryset
        school_id = self.value_id()
        if school_id is None:
            return queryset.none()
        return self.filter_school(queryset, school_id)
