"""Reads of events, including the KPI selector the reporting app calls."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..models import Event, EventOutcome, EventRegistration


def _aware_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def events_held_in_period(
    *, start: dt.date, end: dt.date, programme_line=None, kinds=None
) -> QuerySet[Event]:
    """Events held in ``[start, end)``: what the "events held" KPIs count.

    Held means all three: staff marked it held, its start has passed, and its
    attendance (a checked-in registration) or an outcome is recorded. An event still
    "planned", or "held" with nobody checked in and nothing recorded, does not count.
    """
    attended = EventRegistration.objects.filter(
        event_id=OuterRef("pk"), checked_in_at__isnull=False
    )
    outcome = EventOutcome.objects.filter(event_id=OuterRef("pk"))
    qs = Event.objects.filter(
        Q(Exists(attended)) | Q(Exists(outcome)),
        status=Event.Status.HELD,
        starts_at__gte=_aware_midnight(start),
        starts_at__lt=_aware_midnight(end),
        starts_at__lte=timezone.now(),
    )
    if programme_line:
        qs = qs.filter(programme_line=programme_line)
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    return qs.order_by("starts_at")


def event_list_public() -> QuerySet[Event]:
    return (
        Event.objects.exclude(status=Event.Status.CANCELLED)
        .annotate(
            registration_count=Count("registrations"),
            checked_in_count=Count(
                "registrations", filter=Q(registrations__checked_in_at__isnull=False)
            ),
        )
        .order_by("-starts_at")
    )
