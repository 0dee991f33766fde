"""Celery tasks of trading: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def partner_feeds_fetch_task() -> dict[str, int]:
    """Scheduled: fetch and import every active partner market's feed over HTTP.
    Idempotent (items are deduplicated by source and number)."""
    from .services.partner_fetch import partner_feeds_fetch_all

    return partner_feeds_fetch_all()


@shared_task
def trading_overdue_reminders_task() -> int:
    from .services.ledger import overdue_reminders_send

    return overdue_reminders_send()


@shared_task
def trading_sessions_close_due_task() -> int:
    """Scheduled every minute: close the biddings whose window has ended. Idempotent."""
    from .services.sessions import sessions_close_due

    return sessions_close_due()
