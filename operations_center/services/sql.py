"""Set-based writes: ``INSERT INTO … SELECT`` from an ORM queryset.

The SELECT is built by the ORM (so it is correct on PostgreSQL and SQLite
alike) and every selected column carries an explicit alias; the rows never
travel through Python, which is what makes tagging millions of patents fast.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model, QuerySet


def insert_from_select(
    *, model: type[Model], columns: list[str], queryset: QuerySet, ignore_conflicts: bool = False
) -> int:
    """Insert the rows ``queryset.values(*aliases)`` selects into ``model``'s table.

    ``queryset`` must be a ``values()`` queryset selecting ``c_<column>`` for each
    column (the ORM refuses aliases that equal a field name).
    """
    sql, params = queryset.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    select_cols = ", ".join(f"sub.{connection.ops.quote_name('c_' + c)}" for c in columns)
    # SQLite needs a WHERE before ON CONFLICT to parse INSERT … SELECT … ON CONFLICT.
    statement = f"INSERT INTO {table} ({cols}) SELECT {select_cols} FROM ({sql}) sub WHERE 1=1"
    if ignore_conflicts:
        statement += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def analyze(*models: type[Model]) -> None:
    """Refresh PostgreSQL's statistics after a bulk write: stale estimates of
    "1 row" turn the next joins and deletes into nested loops."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
