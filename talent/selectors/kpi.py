"""KPI selectors (contract): ``start`` inclusive, ``end`` exclusive; evidence QuerySets."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ..models import Enrollment, SupplyItem, Talent


def _day_start(day: dt.date) -> dt.datetime:
    # Midnight in the portal's time zone (Asia/Shanghai): a range on the stored
    # timestamp uses its index, where ``__date`` would convert every row.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def trainees_trained_in_period(
    *, start: dt.date, end: dt.date, programme_line: str | None = None
) -> QuerySet[Enrollment]:
    """Enrollments attended in sessions that ended in the period.

    One row per trainee per session; count people with
    ``.values("trainee").distinct().count()``.
    """
    enrollments = Enrollment.objects.filter(
        attended=True, session__ends_on__gte=start, session__ends_on__lt=end
    )
    if programme_line:
        enrollments = enrollments.filter(session__programme_line=programme_line)
    return enrollments.select_related("trainee", "session__course")


def supply_items_published_in_period(
    *, start: dt.date, end: dt.date, programme_line: str | None = None
) -> QuerySet[SupplyItem]:
    """Published supply items tied to at least one talent (the KPI counts talent-linked ones).

    An item whose inventors are not resolved yet is not counted until they are:
    the resolve task links them, and the item then counts in its publication period.
    """
    linked = SupplyItem.talents.through.objects.filter(supplyitem_id=OuterRef("pk"))
    items = SupplyItem.objects.filter(
        Exists(linked),
        status=SupplyItem.Status.PUBLISHED,
        published_at__gte=_day_start(start),
        published_at__lt=_day_start(end),
    )
    if programme_line:
        items = items.filter(programme_line=programme_line)
    return items


def talents_held() -> QuerySet[Talent]:
    """The talent base: every resolved person linked to at least one patent."""
    return Talent.objects.filter(links__isnull=False).distinct()
