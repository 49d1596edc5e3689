"""Every URL pattern of the project, and the values that fill its parameters with one
district's rows. A parameter the table below cannot fill is an error naming the pattern: whoever
adds an endpoint teaches `fill` its parameter, so the new door is tried like the others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from allocations.api.models import ImportJob
from allocations.ledger.models import DeliveryRecord
from allocations.models import Alert, AllocationRun, Assignment, UnstaffedRun
from staffing.models import Absence, TenantModel

# The admin is walked, model by model and role by role, by tests/staffing/test_admin_isolation.py.
SKIPPED_PREFIXES = ("admin/",)


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str
    params: tuple[str, ...]


def patterns() -> list[Pattern]:
    found: list[Pattern] = []
    _walk(get_resolver().url_patterns, "", None, found)
    return found


def _walk(entries, prefix: str, namespace: str | None, found: list[Pattern]) -> None:
    for entry in entries:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            _walk(entry.url_patterns, route, inner, found)
            continue
        assert isinstance(entry, URLPattern)
        assert entry.name, f"URL pattern {route!r} has no name, so it cannot be reversed"
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        params = tuple(getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex)
        found.append(Pattern(route, name, params))


def _one(model, district) -> int:
    return model.objects.filter(district=district).values_list("pk", flat=True).get()


# What an API route's `pk` names, by the route's basename.
def _api_rows(world) -> dict[str, int]:
    district = world["district"]
    return {
        "school": world["school"].pk,
        "aide": world["aide"].pk,
        "contract": world["contract"].pk,
        "student": world["student"].pk,
        "mandate": world["mandate"].pk,
        "absence": _one(Absence, district),
        "assignment": _one(Assignment, district),
        "unstaffed": _one(UnstaffedRun, district),
        "run": _one(AllocationRun, district),
        "alert": _one(Alert, district),
        "delivery-record": _one(DeliveryRecord, district),
        "report": world["report"].pk,
        "import": _one(ImportJob, district),
    }


def fill(pattern: Pattern, world) -> str:
    """The pattern's URL with every parameter naming `world`'s rows."""
    basename = pattern.name.rsplit(":", 1)[-1].rsplit("-", 1)[0]
    by_param = {
        "student_id": world["student"].pk,
        "run_id": _one(AllocationRun, world["district"]),
        "report_id": world["report"].pk,
        "fmt": "csv",
        "format": "json",
        "kind": "staff",
        # An invitation's token is a secret of its invitee; a guess must find nothing.
        "token": "guessed-token",
    }
    kwargs = {}
    for param in pattern.params:
        if param == "pk" and basename in _api_rows(world):
            kwargs[param] = _api_rows(world)[basename]
        elif param in by_param:
            kwargs[param] = by_param[param]
        else:
            raise AssertionError(
                f"tests/attacks cannot fill {param!r} of URL pattern {pattern.route!r} "
                f"({pattern.name}): teach tests/attacks/urls.py:fill which row it names"
            )
    return reverse(pattern.name, kwargs=kwargs)


def tenant_models() -> Iterator[type[TenantModel]]:
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            yield model


def snapshot(district) -> dict[str, object]:
    """Row counts of every tenant model, and every row of `district` as it stands."""
    return {
        model._meta.label: (
            model._default_manager.count(),
            sorted(map(repr, model._default_manager.filter(district=district).values())),
        )
        for model in tenant_models()
    }
