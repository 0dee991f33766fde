"""Celery tasks of openlicense: thin wrappers over services."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task
from django.conf import settings


@shared_task
def send_filing_reminders() -> int:
    from .services import open_licence_send_reminders

    return open_licence_send_reminders()


@shared_task
def master_sync_from_drop() -> int | None:
    """Import the master platform's latest export from the configured drop file
    (``OPENLICENSE_MASTER_SYNC_FILE``, .csv or .json). Idempotent: an unchanged
    file changes nothing. Returns the run id, or None when not configured."""
    from .services.sync import master_import

    path = getattr(settings, "OPENLICENSE_MASTER_SYNC_FILE", "")
    if not path or not Path(path).is_file():
        return None
    file = Path(path)
    run = master_import(
        content=file.read_bytes(),
        fmt="json" if file.suffix.lower() == ".json" else "csv",
        source=getattr(settings, "OPENLICENSE_MASTER_SOURCE", "master"),
        file_name=file.name,
    )
    return run.pk


@shared_task
def push_new_items() -> int:
    """Daily: push newly announced open-licence items to matching enterprises.
    Idempotent: an enterprise never receives the same item twice."""
    from .push import open_licence_push_new_items

    return open_licence_push_new_items(
        channel=getattr(settings, "OPENLICENSE_PUSH_CHANNEL", "email"),
        programme_line=getattr(settings, "OPENLICENSE_PUSH_PROGRAMME_LINE", "trading_hub"),
    )
