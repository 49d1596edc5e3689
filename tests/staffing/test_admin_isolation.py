"""Every registered admin page, tried by district A's director with district B's ids: B's rows
are a 404, never listed, never offered as a choice. Models registered later are covered too:
the lists below come from the admin registry itself."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.forms.models import model_to_dict
from django.urls import reverse

from staffing.models import TenantModel
from staffing.tenancy import TenantAdmin, TenantInline

pytestmark = pytest.mark.django_db

CANARY = "ZZCANARY"
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
TENANT_ADMINS = [(m, a) for m, a in REGISTRY if issubclass(m, TenantModel)]
PLATFORM_MODELS = [m for m, _ in REGISTRY if not issubclass(m, TenantModel)]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def worlds(make_world, district_a, district_b):
    return make_world(district_a, "AAA"), make_world(district_b, CANARY)


def test_every_tenant_model_admin_builds_on_the_tenancy_base():
    for model, model_admin in TENANT_ADMINS:
        assert isinstance(model_admin, TenantAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, TenantInline), inline


def test_the_tenant_admins_are_exactly_these():
    # Every one of them goes through each test of this file; a new one is added here on purpose.
    assert [m._meta.label for m, _ in TENANT_ADMINS] == [
        "allocations.Alert", "allocations.AllocationRun", "allocations.Assignment",
        "allocations.CompensatoryEntry", "allocations.DeliveryRecord",
        "allocations.MissedDaysNotice", "allocations.PlanRepair", "allocations.StudentAccess",
        "allocations.UnstaffedRun",
        "allocations_api.ImportJob",
        "staffing.Absence", "staffing.Aide", "staffing.Closure", "staffing.Contract",
        "staffing.Membership", "staffing.Notification", "staffing.School",
        "staffing_api.ApiToken",
        "students.Guardian", "students.ParaMandate", "students.Student",
    ]  # fmt: skip


def test_no_tenant_admin_filters_on_a_relation_with_djangos_unscoped_filter():
    # RelatedFieldListFilter lists every district's rows: relations need a TenantListFilter.
    for model, model_admin in TENANT_ADMINS:
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                assert not get_fields_from_path(model, entry)[-1].is_relation, (model, entry)
            else:
                assert not isinstance(entry, tuple), (model, entry)


@pytest.mark.parametrize("model", [m for m, _ in TENANT_ADMINS], ids=lambda m: m._meta.label)
def test_district_b_rows_are_a_404_and_never_listed_for_district_a(
    client, director_a, district_a, district_b, worlds, model
):
    theirs = model.objects.filter(district=district_b).get()
    before = model_to_dict(theirs)
    client.force_login(director_a)

    listing = client.get(_url(model, "changelist"))
    assert listing.status_code == 200
    assert sorted(o.pk for o in listing.context["cl"].result_list) == sorted(
        model.objects.filter(district=district_a).values_list("pk", flat=True)
    )
    assert CANARY not in listing.content.decode()
    for view in ("change", "delete", "history"):
        assert client.get(_url(model, view, theirs.pk)).status_code == 404, view
    assert client.post(_url(model, "change", theirs.pk), {"code": "X"}).status_code == 404
    assert client.post(_url(model, "delete", theirs.pk), {"post": "yes"}).status_code == 404
    client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )
    theirs.refresh_from_db()
    assert model_to_dict(theirs) == before


@pytest.mark.parametrize(
    "model",
    [
        m
        for m, a in TENANT_ADMINS
        if a.has_add_permission.__func__ is TenantAdmin.has_add_permission
    ],
    ids=lambda m: m._meta.label,
)
def test_add_forms_offer_only_district_a_choices(client, director_a, district_a, worlds, model):
    client.force_login(director_a)

    page = client.get(_url(model, "add"))

    assert page.status_code == 200
    assert CANARY not in page.content.decode()
    forms_shown = [page.context["adminform"].form] + [
        inline.formset.empty_form for inline in page.context["inline_admin_formsets"]
    ]
    choice_fields = [
        (type(form).__name__, name, field)
        for form in forms_shown
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
        and issubclass(field.queryset.model, TenantModel)
    ]
    for form_name, name, field in choice_fields:
        assert {row.district_id for row in field.queryset} <= {district_a.pk}, (form_name, name)


@pytest.mark.parametrize("model", PLATFORM_MODELS, ids=lambda m: m._meta.label)
def test_platform_models_are_closed_to_district_staff(client, director_a, model):
    client.force_login(director_a)

    assert client.get(_url(model, "changelist")).status_code == 403


def test_autocomplete_answers_from_the_users_district_only(client, director_a, worlds):
    client.force_login(director_a)
    url = reverse("admin:autocomplete")
    query = {"app_label": "students", "model_name": "paramandate", "field_name": "student"}

    everyone = client.get(url, {**query, "term": ""}).json()["results"]
    canary = client.get(url, {**query, "term": CANARY}).json()["results"]
    aides = client.get(
        url, {"app_label": "staffing", "model_name": "absence", "field_name": "aide", "term": ""}
    ).json()["results"]

    assert [r["text"] for r in everyone] == ["KidAAA FamilyAAA (STU-AAA)"]
    assert canary == []
    assert [r["text"] for r in aides] == ["Aide AAA (AIDE-AAA)"]


def test_autocomplete_of_users_and_districts_is_refused(client, director_a, worlds):
    client.force_login(director_a)
    url = reverse("admin:autocomplete")

    users = client.get(
        url, {"app_label": "students", "model_name": "guardian", "field_name": "user", "term": ""}
    )
    districts = client.get(
        url, {"app_label": "staffing", "model_name": "school", "field_name": "district"}
    )

    assert (users.status_code, districts.status_code) == (403, 403)


def _filter_choices(page, title):
    spec = next(s for s in page.context["cl"].filter_specs if s.title == title)
    return [label for _, label in spec.lookup_choices]


def test_list_filters_offer_only_district_a_values(client, director_a, worlds):
    client.force_login(director_a)

    aides = client.get(reverse("admin:staffing_aide_changelist"), {"_facets": "True"})
    students = client.get(reverse("admin:students_student_changelist"), {"_facets": "True"})

    assert _filter_choices(aides, "school") == ["School AAA (SCH-AAA)"]
    assert _filter_choices(aides, "qualification") == ["QUAL-AAA"]
    assert _filter_choices(aides, "employer") == ["District staff", "Contract CON-AAA (Agency AAA)"]
    assert _filter_choices(students, "school") == ["School AAA (SCH-AAA)"]
    assert _filter_choices(students, "required qualification") == ["QUAL-AAA"]
    assert CANARY not in aides.content.decode() + students.content.decode()
    assert "School AAA (SCH-AAA) (1)" in aides.content.decode()


def test_filtering_by_district_b_values_shows_nothing(client, director_a, worlds):
    theirs = worlds[1]
    client.force_login(director_a)

    by_school = client.get(
        reverse("admin:students_student_changelist"), {"school": theirs["school"].pk}
    )
    by_contract = client.get(
        reverse("admin:staffing_aide_changelist"), {"employer": theirs["contract"].pk}
    )

    assert by_school.context["cl"].result_count == 0
    assert by_contract.context["cl"].result_count == 0


# --- A case manager limited to one school, on every registered admin ---------------------------

OUTSIDE = "OUTSIDE"
# A student of the other school: their code, names and IEP mandate.
OUTSIDE_NAMES = ("STU-OUTSIDE", "KidOUTSIDE", "FamilyOUTSIDE", "MAN-OUTSIDE")


@pytest.fixture
def school_scoped(make_world, district_a):
    """District A with two schools' worth of everything; `staff-INSIDE` is a case manager
    limited to the first. Returns that user and, per model, the ids of the second school's
    rows (the re-plan names the second school's student in its changes, as a real one does)."""
    from allocations.models import PlanRepair

    inside = make_world(district_a, "INSIDE")
    pks_before = {model: set(model.objects.values_list("pk", flat=True)) for model, _ in REGISTRY}
    outside = make_world(district_a, OUTSIDE)
    PlanRepair.objects.filter(trigger=f"absence {OUTSIDE}").update(
        school_ids=[outside["school"].pk],
        changes=[
            {"student": "KidOUTSIDE FamilyOUTSIDE (STU-OUTSIDE)", "mandate": "MAN-OUTSIDE",
             "setting": "classroom", "location": "Room OUTSIDE", "time": "09:00-10:00",
             "before": "AIDE-OUTSIDE", "after": ""},
        ],
    )  # fmt: skip
    theirs = {
        model: sorted(set(model.objects.values_list("pk", flat=True)) - pks_before[model])
        for model, _ in REGISTRY
    }
    return inside["member"].user, theirs


def _names_shown(response):
    return [name for name in OUTSIDE_NAMES if name in response.content.decode()]


def test_a_school_scoped_case_manager_sees_no_other_schools_student_on_any_admin(
    client, director_a, school_scoped
):
    case_manager, theirs = school_scoped
    client.force_login(director_a)
    # What shows a student to whoever may see it: the director's view of the same rows.
    holding_students = [
        (model, pk)
        for model, _ in REGISTRY
        for pk in theirs[model]
        if _names_shown(client.get(_url(model, "change", pk)))
    ]
    client.force_login(case_manager)

    for model, _ in REGISTRY:
        listing = client.get(_url(model, "changelist"))
        assert listing.status_code in (200, 403), model
        assert _names_shown(listing) == [], model
        for pk in theirs[model]:
            assert _names_shown(client.get(_url(model, "change", pk))) == [], (model, pk)
    # Every model that shows a student somewhere is a 404 at the other school, whatever page.
    assert sorted(m._meta.label for m, _ in holding_students) == [
        "allocations.Alert", "allocations.Assignment", "allocations.CompensatoryEntry",
        "allocations.DeliveryRecord", "allocations.MissedDaysNotice", "allocations.PlanRepair",
        "allocations.StudentAccess", "allocations.UnstaffedRun", "students.Guardian", "students.ParaMandate",
        "students.Student",
    ]  # fmt: skip
    for model, pk in holding_students:
        for view in ("change", "delete", "history"):
            assert client.get(_url(model, view, pk)).status_code == 404, (model, view)
