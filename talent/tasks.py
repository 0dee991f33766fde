"""Celery tasks of talent: thin wrappers over services."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from .services import supply_items_sync, talents_resolve

log = logging.getLogger(__name__)
LOCK_KEY = "talent:resolve-new-mentions"
LOCK_SECONDS = 30 * 60


@shared_task(name="talent.resolve_new_mentions")
def resolve_new_mentions() -> dict:
    """Attach mentions imported since the last run (idempotent: linked ones are skipped).

    Runs after every patent import (``enqueue_resolution``) and on a schedule
    (``CELERY_BEAT_SCHEDULE["talent-resolve-new-mentions"]``) as a safety net. Two runs
    never overlap: a run that finds another in progress stops, and the next scheduled
    run picks up whatever is still unlinked.
    """
    if not cache.add(LOCK_KEY, 1, LOCK_SECONDS):
        return {"skipped": "another resolution run is in progress"}
    try:
        stats = talents_resolve()
        # New people may stand behind patents already on offer: refresh the supply items.
        supply_items_sync()
    finally:
        cache.delete(LOCK_KEY)
    return stats.__dict__


def _run_after_commit() -> None:
    try:
        resolve_new_mentions.delay()
    except Exception:  # resolution must never break the import that triggered it
        log.exception("talent resolution after import failed; the scheduled run retries")


def enqueue_resolution() -> None:
    """Call after an import; the task runs once the rows are committed and visible.

    Registered in ``patents.hooks`` (talent.apps) and so called after every import.
    In embedded mode (eager Celery) the resolution runs in-process right after the
    commit. A second call before the first run only costs a run that finds nothing
    unlinked.
    """
    transaction.on_commit(_run_after_commit)


def resolve_after_import(*, outcome) -> None:
    """``patents.hooks`` after-import hook: resolve the import's new inventor mentions."""
    enqueue_resolution()
