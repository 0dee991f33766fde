"""KPI selectors (contract): ``start`` inclusive, ``end`` exclusive; evidence QuerySets."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..models import Enrollment, SupplyItem, Talent, TalentLink


def _day_start(day: dt.date) -> dt.datetime:
    # Midnight in the portal's time zone (Asia/Shanghai): a range on the stored
    # timestamp uses its index, where ``__date`` would convert every row.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def trainees_trained_in_period(
    *, start: dt.date, end: dt.date, programme_line: str | None = None
) -> QuerySet[Enrollment]:
    """Enrollments completed in sessions that ended in the period: the trainee attended
    and passed (completion, as the KPI's definition says; attendance alone is not).

    One row per trainee per session; count people with
    ``.values("trainee").distinct().count()``.
    """
    enrollments = Enrollment.objects.filter(
        attended=True, passed=True, session__ends_on__gte=start, session__ends_on__lt=end
    )
    if programme_line:
        enrollments = enrollments.filter(session__programme_line=programme_line)
    return enrollments.select_related("trainee", "session__course")


def _imported_supply() -> Q:
    """Supply items generated from records imported from elsewhere: a partner market's
    listing (``external_source`` set) or a master-platform open-licence declaration."""
    from openlicense.models import Declaration
    from trading.models import Listing

    partner_listings = Listing.objects.exclude(external_source="").values("pk")
    master_declarations = Declaration.objects.filter(source=Declaration.Source.MASTER).values("pk")
    return Q(source=SupplyItem.Source.LISTING, source_object_id__in=partner_listings) | Q(
        source=SupplyItem.Source.OPEN_LICENCE, source_object_id__in=master_declarations
    )


def supply_items_published_in_period(
    *, start: dt.date, end: dt.date, programme_line: str | None = None, origin: str | None = None
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
    if origin == "own":
        items = items.exclude(_imported_supply())
    elif origin == "imported":
        items = items.filter(_imported_supply())
    return items


def talents_counted(*, end: dt.date | None = None, high_yield_only: bool = False):
    """People in the talent base (one row per talent, not per inventor mention): resolved
    talents linked to at least one patent, not suppressed. ``high_yield_only`` keeps the
    high-yield ones (``Talent.is_high_yield``: the resolution's productivity rule).
    ``end`` (exclusive) counts those whose patent records were loaded before it."""
    linked = TalentLink.objects.filter(talent_id=OuterRef("pk"))
    if end is not None:
        # Held at the end of the period: a patent record naming the person was loaded
        # before it (records are stamped when loaded, as for patents held).
        linked = linked.filter(mention__patent__created_at__lt=_day_start(end))
    talents = Talent.objects.filter(Exists(linked), suppressed=False)
    if high_yield_only:
        talents = talents.filter(is_high_yield=True)
    return talents.order_by("pk")


def talents_held() -> QuerySet[Talent]:
    """The talent base: every resolved person linked to at least one patent."""
    return Talent.objects.filter(links__isnull=False).distinct()
