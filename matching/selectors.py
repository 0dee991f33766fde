"""Reads of matching, including the KPI selectors the reporting app calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Push, PushItem, TechNeed


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


def push_items_sent_in_period(
    *, start: dt.date, end: dt.date, programme_line=None, kinds=None
) -> QuerySet[PushItem]:
    """Items of pushes actually sent in [start, end) — the "precise pushes" KPI."""
    low, high = _bounds(start, end)
    items = PushItem.objects.filter(
        push__status=Push.Status.SENT, push__sent_at__gte=low, push__sent_at__lt=high
    )
    if programme_line:
        items = items.filter(push__programme_line=programme_line)
    if kinds:
        items = items.filter(kind__in=list(kinds))
    return items


# Channels that only write a log line (development): never evidence of delivery, whatever
# state a push through them records.
UNCONFIRMED_CHANNELS = (Push.Channel.LOG,)
LOGGED_DETAIL_PREFIX = "logged ("


def push_items_delivered_in_period(
    *, start: dt.date, end: dt.date, programme_line=None, kinds=None
) -> QuerySet[PushItem]:
    """Items of pushes delivered in [start, end): what the "precise pushes" KPIs count.

    "Count only what happened": ``delivered_at`` is set only from a provider receipt
    (or an SMTP server accepting the mail; matching.services.receipts), never by the
    log channel or a console backend. Items of log channels never count, even if a
    stub of an older release marked them delivered.
    """
    low, high = _bounds(start, end)
    items = PushItem.objects.filter(
        push__delivered_at__gte=low,
        push__delivered_at__lt=high,
    )
    if programme_line:
        items = items.filter(push__programme_line=programme_line)
    if kinds:
        items = items.filter(kind__in=list(kinds))
    return items.exclude(push__channel__in=UNCONFIRMED_CHANNELS).exclude(
        push__status_reason__startswith=LOGGED_DETAIL_PREFIX
    )


def needs_published_in_period(
    *, start: dt.date, end: dt.date, programme_line=None
) -> QuerySet[TechNeed]:
    low, high = _bounds(start, end)
    needs = TechNeed.objects.filter(
        status__in=[TechNeed.Status.PUBLISHED, TechNeed.Status.CLOSED],
        published_at__gte=low,
        published_at__lt=high,
    )
    if programme_line:
        needs = needs.filter(programme_line=programme_line)
    return needs


def needs_published() -> QuerySet[TechNeed]:
    return TechNeed.objects.filter(status=TechNeed.Status.PUBLISHED).order_by("-published_at")


def needs_awaiting_review() -> QuerySet[TechNeed]:
    return (
        TechNeed.objects.filter(status=TechNeed.Status.SUBMITTED)
        .select_related("organization")
        .order_by("created_at")
    )


def needs_of_organization(*, organization) -> QuerySet[TechNeed]:
    return TechNeed.objects.filter(organization=organization).order_by("-created_at")


@dataclass(frozen=True, slots=True)
class Funnel:
    sent: int
    opened: int
    clicked: int
    interested: int
    introduced: int
    deal: int


def push_funnel(*, start: dt.date, end: dt.date, programme_line=None) -> Funnel:
    """Counted per item (one push of three patents is three chances)."""
    items = push_items_sent_in_period(start=start, end=end, programme_line=programme_line)
    return Funnel(
        sent=items.count(),
        opened=items.filter(Q(push__opened_at__isnull=False) | Q(clicked_at__isnull=False)).count(),
        clicked=items.filter(clicked_at__isnull=False).count(),
        interested=items.filter(feedback=PushItem.Feedback.INTERESTED).count(),
        introduced=items.filter(
            outcome__in=[PushItem.Outcome.INTRODUCED, PushItem.Outcome.DEAL]
        ).count(),
        deal=items.filter(outcome=PushItem.Outcome.DEAL).count(),
    )


def push_item_recipients(*, kind: str, object_id: int) -> set[int]:
    """Ids of the organizations that already hold (were pushed) this item —
    the same deduplication key ``push_create`` enforces."""
    return set(
        PushItem.objects.filter(kind=kind, dedup_key=f"{kind}:{object_id}").values_list(
            "organization_id", flat=True
        )
    )


def needs_shared() -> QuerySet[TechNeed]:
    """Needs other technology markets may see: every need that was published
    (still open, or closed since, so partners learn it closed)."""
    return TechNeed.objects.filter(
        status__in=[TechNeed.Status.PUBLISHED, TechNeed.Status.CLOSED],
        published_at__isnull=False,
    ).select_related("organization", "region")


@dataclass(frozen=True)
class VectorCoverage:
    """How fresh the semantic stage is: patents with a stored vector, of all patents."""

    with_vector: int
    total: int
    latest: dt.datetime | None

    @property
    def percent(self) -> float:
        return 100.0 * self.with_vector / self.total if self.total else 0.0


def patent_vector_coverage() -> VectorCoverage:
    from django.db.models import Max

    from patents.models import Patent

    from .models import PatentSignal

    signals = PatentSignal.objects.filter(embedding__isnull=False)
    return VectorCoverage(
        with_vector=signals.count(),
        total=Patent.objects.count(),
        latest=signals.aggregate(at=Max("computed_at"))["at"],
    )
