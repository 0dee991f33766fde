"""Rows of any model for the permission matrix: every required field filled with a
plain value, related rows taken from the matrix world (or built the same way)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils import timezone

if TYPE_CHECKING:
    from .matrix_world import World


def _field_value(field, world: World, depth: int):
    from django.db import models

    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        related = field.related_model
        if depth > 3:
            raise LookupError(f"{related._meta.label}: too deep to build")
        if isinstance(field, models.OneToOneField):
            return generic_row(related, world, depth + 1)
        return world.row_of(related) if depth == 0 else generic_row(related, world, depth + 1)
    if isinstance(field, models.FileField):
        return ContentFile(b"matrix", name="matrix.txt")
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date(2026, 1, 1)
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(field, models.EmailField):
        return "matrix@example.org"
    if isinstance(field, models.SlugField):
        return f"matrix-{field.model._meta.model_name}"
    if isinstance(field, models.CharField | models.TextField):
        return "matrix"[: field.max_length or 6]
    raise LookupError(f"{field.model._meta.label}.{field.name}: no generic value")


def generic_row(model, world: World, depth: int = 0):
    """Build a row of ``model`` filling each required field with a plain value."""
    from django.db import IntegrityError, transaction

    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and field.auto_created:
            continue
        if field.has_default() or field.null or getattr(field, "auto_now_add", False):
            continue
        if getattr(field, "auto_now", False):
            continue
        if field.blank and not field.is_relation and not field.choices:
            continue
        values[field.name] = _field_value(field, world, depth)
    try:
        with transaction.atomic():
            return model._default_manager.create(**values)
    except (IntegrityError, TypeError, ValueError) as exc:
        raise LookupError(f"cannot build a {model._meta.label} row: {exc}") from exc
