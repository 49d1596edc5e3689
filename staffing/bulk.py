"""Fast bulk inserts: PostgreSQL COPY where available, bulk_create elsewhere (the SQLite demo).

Used for the large writes (imports, allocation results) where per-row INSERTs would dominate.
Rows are tuples in the order of `fields` (attribute names, e.g. "district_id").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name.removesuffix("_id"))
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a concrete column")
    return str(field.column)


def bulk_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert rows without returning ids; return how many were written."""
    if connection.vendor == "postgresql":
        columns = [_column(model, name) for name in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=2000)  # type: ignore[attr-defined]
    return len(objects)


def statistics_refresh(*tables: type[models.Model]) -> None:
    """After a bulk load PostgreSQL's planner still thinks the tables are as they were; without
    fresh statistics the next queries on them can pick very slow plans (a nested loop over
    thousands of rows the planner believes are one)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
