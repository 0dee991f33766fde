"""Audit trail export for audit administrators (searching is in the admin)."""

from __future__ import annotations

import datetime as dt

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .audit import AuditAction, audit_events_csv_rows, audit_events_search, audit_record
from .permissions import role_required
from .roles import Role


def _date(value: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@role_required(Role.AUDIT_ADMIN)
@require_safe
def audit_export_csv(request):
    params = {
        "text": request.GET.get("q", "")[:100],
        "action": request.GET.get("action", "")[:64],
        "actor": request.GET.get("actor", "")[:150],
        "target_type": request.GET.get("target_type", "")[:100],
        "target_id": request.GET.get("target_id", "")[:64],
        "since": _date(request.GET.get("since", "")),
        "until": _date(request.GET.get("until", "")),
    }
    events = audit_events_search(**params)
    audit_record(
        action=AuditAction.EXPORTED,
        details={"what": "audit_events", "filters": {k: str(v) for k, v in params.items() if v}},
        request=request,
    )
    response = StreamingHttpResponse(
        audit_events_csv_rows(events), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
