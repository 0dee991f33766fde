"""PIPL services: consent records and the data-subject rights channel.

Deadline: a rights request is answered within ``DATA_RIGHTS_DUE_WORKING_DAYS``
(15) working days of receipt. PIPL Art. 50 requires a "convenient channel"
and timely handling without fixing a period; the 15-working-day figure is the
national standard's practice, GB/T 35273-2020 *Information security technology
— Personal information security specification* §8.7 c), which the CAC also
applies in its app inspections.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import AuditAction, audit_record
from .models import ConsentRecord, DataRightsRequest
from .requestmeta import client_ip
from .workdays import add_working_days


def consent_record(
    *,
    purpose: str,
    granted: bool,
    notice_version: str,
    method: str,
    user=None,
    subject_reference: str = "",
    recorded_by=None,
    request=None,
) -> ConsentRecord:
    """Append a grant or withdrawal of consent (records are never edited)."""
    if user is None and not subject_reference:
        raise ValueError("a consent needs a user or a subject_reference")
    record = ConsentRecord.objects.create(
        user=user,
        subject_reference=subject_reference,
        purpose=purpose,
        granted=granted,
        notice_version=notice_version,
        method=method,
        recorded_by=recorded_by,
        ip_address=client_ip(request),
    )
    audit_record(
        actor=recorded_by or (user if request is None else None),
        action=AuditAction.CONSENT_RECORDED,
        target=record,
        details={"purpose": purpose, "granted": granted},
        request=request,
    )
    return record


def consent_is_granted(*, purpose: str, user=None, subject_reference: str = "") -> bool:
    """The latest record for this subject and purpose decides; none means no consent."""
    records = ConsentRecord.objects.filter(purpose=purpose)
    if user is not None:
        records = records.filter(user=user)
    elif subject_reference:
        records = records.filter(subject_reference=subject_reference)
    else:
        return False
    latest = records.order_by("-recorded_at", "-id").values_list("granted", flat=True).first()
    return bool(latest)


def data_rights_due_on(received_at) -> dt.date:
    days = getattr(settings, "DATA_RIGHTS_DUE_WORKING_DAYS", 15)
    return add_working_days(timezone.localdate(received_at), days)


def data_rights_request_submit(
    *, kind: str, name: str, contact: str, description: str, requester=None, request=None
) -> DataRightsRequest:
    now = timezone.now()
    rights_request = DataRightsRequest.objects.create(
        kind=kind,
        name=name,
        contact=contact,
        description=description,
        requester=requester if requester is not None and requester.is_authenticated else None,
        received_at=now,
        due_on=data_rights_due_on(now),
    )
    audit_record(
        action=AuditAction.RIGHTS_REQUEST,
        target=rights_request,
        details={"event": "submitted", "kind": kind},
        request=request,
    )
    return rights_request


@transaction.atomic
def data_rights_request_assign(*, rights_request: DataRightsRequest, staff, request=None):
    rights_request.assigned_to = staff
    if rights_request.status == DataRightsRequest.Status.RECEIVED:
        rights_request.status = DataRightsRequest.Status.IN_PROGRESS
    rights_request.save(update_fields=["assigned_to", "status"])
    audit_record(
        actor=staff,
        action=AuditAction.STATE_CHANGED,
        target=rights_request,
        details={"to": rights_request.status, "assigned": True},
        request=request,
    )
    return rights_request


@transaction.atomic
def data_rights_request_close(
    *,
    rights_request: DataRightsRequest,
    staff,
    resolution: str,
    rejected: bool = False,
    request=None,
) -> DataRightsRequest:
    if rights_request.status not in DataRightsRequest.OPEN_STATUSES:
        raise ValueError("this request is already closed")
    if not resolution.strip():
        raise ValueError("say what was done or why the request is refused")
    rights_request.status = (
        DataRightsRequest.Status.REJECTED if rejected else DataRightsRequest.Status.COMPLETED
    )
    rights_request.resolution = resolution
    rights_request.closed_at = timezone.now()
    rights_request.assigned_to = rights_request.assigned_to or staff
    rights_request.save(update_fields=["status", "resolution", "closed_at", "assigned_to"])
    audit_record(
        actor=staff,
        action=AuditAction.STATE_CHANGED,
        target=rights_request,
        details={
            "to": rights_request.status,
            "on_time": rights_request.closed_at.date() <= rights_request.due_on,
        },
        request=request,
    )
    return rights_request


def data_rights_requests_overdue():
    return DataRightsRequest.objects.filter(
        status__in=DataRightsRequest.OPEN_STATUSES, due_on__lt=timezone.localdate()
    )
