"""Celery tasks of talent: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from .services import supply_items_sync, talents_resolve


@shared_task(name="talent.resolve_new_mentions")
def resolve_new_mentions() -> dict:
    """Attach mentions imported since the last run (idempotent: linked ones are skipped)."""
    stats = talents_resolve()
    # New people may stand behind patents already on offer: refresh the supply items.
    supply_items_sync()
    return stats.__dict__


def enqueue_resolution() -> None:
    """Call after an import commits; the task runs once the rows are visible."""
    transaction.on_commit(resolve_new_mentions.delay)


@shared_task(name="talent.sync_supply_items")
def sync_supply_items() -> dict:
    """Catch up the supply directory with listings and open licences (idempotent)."""
    return supply_items_sync().__dict__
