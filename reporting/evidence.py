"""Turning evidence records into table cells, with personal data held back.

Funders see aggregates and evidence summaries only (issues 8 and 15): columns marked
``personal`` or ``confidential`` (the parties, contract and recordal numbers, one
deal's amount) are dropped for them, and an organization that is a private
individual is shown as "individual" rather than by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Organization

from .measures import Column, Measure


def _resolve(record: Any, path: str) -> Any:
    if not path:
        return str(record)
    obj = record
    parts = path.split("__")
    for i, part in enumerate(parts):
        if obj is None:
            return None
        last = i == len(parts) - 1
        display = getattr(obj, f"get_{part}_display", None) if last else None
        obj = display() if callable(display) else getattr(obj, part, None)
    return obj


def cell(record: Any, column: Column, *, personal_allowed: bool) -> Any:
    value = _resolve(record, column.path)
    if column.organization and isinstance(value, Organization):
        if value.kind == Organization.Kind.INDIVIDUAL and not personal_allowed:
            return _("(individual)")
        return value.name
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def visible_columns(m: Measure, *, personal_allowed: bool) -> list[Column]:
    if m.personal_records and not personal_allowed:
        return []
    return [c for c in m.columns if personal_allowed or not (c.personal or c.confidential)]


def rows(
    records: Iterable[Any], columns: list[Column], *, personal_allowed: bool
) -> Iterator[tuple[Any, list[Any]]]:
    for record in records:
        yield record, [cell(record, c, personal_allowed=personal_allowed) for c in columns]
