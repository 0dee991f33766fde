"""Celery tasks of talent: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from .services import talents_resolve


@shared_task(name="talent.resolve_new_mentions")
def resolve_new_mentions() -> dict:
    """Attach mentions imported since the last run (idempotent: linked ones are skipped)."""
    stats = talents_resolve()
    return stats.__dict__


def enqueue_resolution() -> None:
    """Call after an import commits; the task runs once the rows are visible."""
    transaction.on_commit(resolve_new_mentions.delay)
