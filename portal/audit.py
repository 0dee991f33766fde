"""The portal-wide audit trail: who did what to which record, when, from where.

Apps call ``audit_record`` for logins (done here through auth signals),
exports, views of personal data and state changes of their records::

    from portal.audit import AuditAction, audit_record

    audit_record(actor=request.user, action=AuditAction.STATE_CHANGED, target=need,
                 details={"from": "draft", "to": "published"}, request=request)

Keep personal data out of ``details`` (ids and field *names*, not values):
the trail is kept for years and read by auditors who need no phone numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from .exports import safe_text
from .models import AuditEvent
from .requestmeta import client_ip, current_request_id


class AuditAction(models.TextChoices):
    """Well-known actions; apps may use their own dotted names (``trading.deal_signed``)."""

    LOGIN = "auth.login", "login"
    LOGIN_FAILED = "auth.login_failed", "login failed"
    LOGOUT = "auth.logout", "logout"
    LOCKED_OUT = "auth.locked_out", "locked out"
    OTP_VERIFIED = "auth.otp_verified", "second factor verified"
    OTP_ENROLLED = "auth.otp_enrolled", "second factor enrolled"
    ROLE_CHANGED = "auth.roles_changed", "roles changed"
    MOBILE_CODE_SENT = "auth.mobile_code_sent", "mobile code sent"
    MOBILE_VERIFIED = "auth.mobile_verified", "mobile number verified"
    CREATED = "record.created", "created"
    STATE_CHANGED = "record.state_changed", "state changed"
    UPDATED = "record.updated", "updated"
    DELETED = "record.deleted", "deleted"
    EXPORTED = "data.exported", "exported"
    PERSONAL_DATA_VIEWED = "data.personal_viewed", "personal data viewed"
    FILE_DOWNLOADED = "data.file_downloaded", "file downloaded"
    CONSENT_RECORDED = "pipl.consent_recorded", "consent recorded"
    RIGHTS_REQUEST = "pipl.rights_request", "rights request"


# Keep at least this long (等保 2.0 / Cybersecurity Law Art. 21: ≥ 6 months).
MIN_RETENTION_DAYS = 183


def _label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return actor.get_username()[:150]


def audit_record(
    *,
    actor=None,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    request=None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. ``actor`` defaults to ``request.user``."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_label=actor_label or _label(actor),
        action=str(action)[:64],
        details=details or {},
        ip_address=client_ip(request),
        request_id=current_request_id.get()[:64],
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)[:64]
        event.target_repr = str(target)[:200]
    event.save()
    return event


def audit_events_search(
    *,
    text: str = "",
    action: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if text:
        events = events.filter(
            Q(actor_label__icontains=text)
            | Q(action__icontains=text)
            | Q(target_repr__icontains=text)
            | Q(target_id=text)
        )
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label=actor)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if since:
        events = events.filter(created_at__gte=since)
    if until:
        events = events.filter(created_at__lt=until)
    return events


CSV_COLUMNS = (
    "id",
    "created_at",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "ip_address",
    "request_id",
    "details",
)


def audit_events_csv_rows(events: Iterable[AuditEvent]) -> Iterator[str]:
    """CSV lines (header first), streamed so a year of events needs no memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    # BOM so Excel in a Chinese locale opens the UTF-8 file correctly.
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for event in events.iterator(chunk_size=2000) if isinstance(events, QuerySet) else events:
        row = []
        for column in CSV_COLUMNS:
            value = getattr(event, column)
            if column == "created_at":
                value = timezone.localtime(value).isoformat()
            row.append("" if value is None else safe_text(str(value)))
        writer.writerow(row)
        yield flush()


def audit_purge_cutoff(*, older_than_days: int) -> dt.datetime:
    minimum = max(MIN_RETENTION_DAYS, getattr(settings, "AUDIT_RETENTION_DAYS", 0))
    if older_than_days < minimum:
        raise ValueError(
            f"audit events must be kept at least {minimum} days; refusing to purge "
            f"events younger than that (asked for {older_than_days})"
        )
    return timezone.now() - dt.timedelta(days=older_than_days)


def audit_events_purge(*, older_than_days: int) -> int:
    """Delete events past retention; refuses any cutoff younger than the minimum."""
    cutoff = audit_purge_cutoff(older_than_days=older_than_days)
    deleted, _ = AuditEvent.objects.all()._purge_expired(before=cutoff)
    return deleted
