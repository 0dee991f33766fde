"""Exactly-once effects for retried work (Celery tasks, imports, pushes).

A unit of work runs inside one transaction together with the insertion of its
idempotency key: if the work fails, the key rolls back with it and a retry
runs it again; once it committed, a retry (or a duplicate delivery after a
killed worker, ``acks_late``) finds the key and returns the stored result.

    from portal.idempotency import RETRY_POLICY, idempotent, task_enqueue

    @shared_task(bind=True, **RETRY_POLICY)
    @idempotent(key=lambda self, job_id, chunk: f"import:{job_id}:{chunk}")
    def import_chunk(self, job_id, chunk): ...

    task_enqueue(import_chunk, args=(job.pk, 0))   # after the current transaction commits

Key granularity is the caller's choice: for a 100k-row import, one key per
chunk, so a retry redoes only the unfinished chunk. Results must be JSON.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError, transaction

from .models import IdempotencyKey

logger = logging.getLogger(__name__)

# For @shared_task(**RETRY_POLICY): transient failures (database restarted,
# broker or Redis unreachable) are retried with exponential backoff and jitter.
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError, TimeoutError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


def run_once(*, key: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` unless ``key`` already completed; return its (stored) result."""
    if not key or len(key) > 200:
        raise ValueError("an idempotency key is 1–200 characters")
    with transaction.atomic():
        record, created = IdempotencyKey.objects.select_for_update().get_or_create(key=key)
        if not created:
            logger.info("idempotent work already done", extra={"idempotency_key": key})
            return record.result
        result = fn()
        record.result = result
        record.save(update_fields=["result"])
        return result


def idempotent(*, key: Callable[..., str]):
    """Decorator form of ``run_once``; ``key`` receives the function's arguments."""

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return run_once(key=key(*args, **kwargs), fn=lambda: fn(*args, **kwargs))

        return wrapper

    return decorator


def idempotency_key_done(key: str) -> bool:
    return IdempotencyKey.objects.filter(key=key).exists()


def task_enqueue(task, *, args: tuple = (), kwargs: dict | None = None, **options) -> None:
    """Enqueue after the current transaction commits; a broker outage is logged,
    not raised into the request that caused it (the caller's records are saved
    and a periodic sweep or the user can retry)."""

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs or {}, **options)
        except Exception:  # kombu OperationalError, redis ConnectionError, ...
            logger.exception(
                "could not enqueue task", extra={"task": getattr(task, "name", str(task))}
            )

    transaction.on_commit(send)


__all__ = ["RETRY_POLICY", "idempotency_key_done", "idempotent", "run_once", "task_enqueue"]
