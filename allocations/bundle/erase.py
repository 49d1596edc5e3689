"""Deleting all of a district's rows before a re-import writes them again.

The rows go with one `DELETE ... WHERE district_id = %s` per table through a database cursor,
children before the rows they point at. Django's `QuerySet.delete()` would load every row into
memory to find what cascades, which takes minutes on a large district; here nothing cascades,
since every table of the district goes, and the delivery ledger, which stays, is unlinked first.

Table and column names come from the models' metadata and are quoted; the district's id is
always a query parameter (hence the `noqa: S608` below).
"""

from __future__ import annotations

from collections.abc import Collection

from django.apps import apps
from django.db import connection, models

from allocations.api.models import ImportJob
from staffing.api.models import ApiToken
from staffing.models import District, Membership, TenantModel

# Who may reach the district (memberships, API tokens) and its imports (the one running this
# delete among them) are not the bundle's data: a re-import keeps them.
NOT_BUNDLE_DATA = (Membership, ApiToken, ImportJob)


def tenant_models_in_delete_order() -> list[type[models.Model]]:
    """Every tenant-owned model but NOT_BUNDLE_DATA, rows that point at others before their
    targets."""
    tenant = [
        m
        for m in apps.get_models()
        if issubclass(m, TenantModel) and m not in NOT_BUNDLE_DATA and not m._meta.proxy
    ]
    targets = {
        m: {
            f.related_model
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model in tenant and f.related_model is not m
        }
        for m in tenant
    }
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()
    while len(ordered) < len(tenant):
        ready = sorted(
            (
                m
                for m in tenant
                if m not in placed
                and all(
                    other in placed for other in tenant if m in targets[other] and other is not m
                )
            ),
            key=lambda m: m._meta.label,
        )
        if not ready:
            raise RuntimeError("tenant models reference each other in a cycle")
        ordered.extend(ready)
        placed.update(ready)
    return ordered


def _district_column(model: type[models.Model]) -> str:
    field = model._meta.get_field("district")
    if not isinstance(field, models.ForeignKey):
        raise TypeError(f"{model._meta.label}.district is not a foreign key")
    return str(field.column)


def _auto_through_deletes() -> list[tuple[str, int]]:
    """For each many-to-many link table Django made on its own, the DELETE of the rows that link
    to a district's rows, with its number of parameters (each the district's id)."""
    quote = connection.ops.quote_name
    statements = []
    for model in apps.get_models():
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through is None or not through._meta.auto_created:
                continue
            links = [
                f"{quote(str(f.column))} IN (SELECT {quote(str(f.target_field.column))} FROM "  # noqa: S608
                f"{quote(f.related_model._meta.db_table)} WHERE "
                f"{quote(_district_column(f.related_model))} = %s)"
                for f in through._meta.concrete_fields
                if isinstance(f, models.ForeignKey)
                and isinstance(f.related_model, type)
                and issubclass(f.related_model, TenantModel)
            ]
            if links:
                table = quote(through._meta.db_table)
                statements.append(
                    (f"DELETE FROM {table} WHERE {' OR '.join(links)}", len(links))  # noqa: S608
                )
    return statements


def district_rows_delete(district: District, *, keep: Collection[type[models.Model]]) -> None:
    """Delete every row of the district but its memberships and the models in `keep`, whose
    links to the deleted rows the caller has cleared."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for statement, params in _auto_through_deletes():
            cursor.execute(statement, [district.pk] * params)
        for model in tenant_models_in_delete_order():
            if model in keep:
                continue
            column = quote(_district_column(model))
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE {column} = %s",  # noqa: S608
                [district.pk],
            )
