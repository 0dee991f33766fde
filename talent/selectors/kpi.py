"""KPI selectors (contract): ``start`` inclusive, ``end`` exclusive; evidence QuerySets."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ..models import Enrollment, SupplyItem, Talent


def trainees_trained_in_period(*, start: dt.date, end: dt.date) -> QuerySet[Enrollment]:
    """Enrollments attended in sessions that ended in the period.

    One row per trainee per session; count people with
    ``.values("trainee").distinct().count()``.
    """
    return Enrollment.objects.filter(
        attended=True, session__ends_on__gte=start, session__ends_on__lt=end
    ).select_related("trainee", "session__course")


def supply_items_published_in_period(*, start: dt.date, end: dt.date) -> QuerySet[SupplyItem]:
    return SupplyItem.objects.filter(
        status=SupplyItem.Status.PUBLISHED,
        published_at__date__gte=start,
        published_at__date__lt=end,
    )


def talents_held() -> QuerySet[Talent]:
    """The talent base: every resolved person linked to at least one patent."""
    return Talent.objects.filter(links__isnull=False).distinct()
