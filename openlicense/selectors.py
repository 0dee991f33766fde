"""Reads of the open-licence sub-platform, including its KPI selector."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from patents.models import Patent

from .models import Declaration, FeeRange, OpenLicence


def open_licences_concluded_in_period(
    *, start: dt.date, end: dt.date, programme_line=None
) -> QuerySet[OpenLicence]:
    """Licences concluded in [start, end) by the law's events (Patent Law art. 51): the
    licensee's written notice delivered to the patentee, and the fee paid (dated by the
    payment) with the payment confirmed by the patentee or its proof accepted by staff."""
    qs = OpenLicence.objects.filter(
        paid_on__gte=start,
        paid_on__lt=end,
        status__in=(OpenLicence.Status.IN_FORCE, OpenLicence.Status.FILED),
        notice_delivered_at__isnull=False,
        payment_confirmed_at__isnull=False,
    )
    if programme_line:
        qs = qs.filter(programme_line=programme_line)
    return qs


def declarations_public(*, text: str = "", status: str = "") -> QuerySet[Declaration]:
    qs = Declaration.objects.select_related("patent").prefetch_related("consents__organization")
    qs = qs.filter(status=status) if status else qs.filter(status=Declaration.Status.ANNOUNCED)
    if text:
        qs = qs.filter(
            Q(patent__publication_number__iexact=text)
            | Q(patent__title__icontains=text)
            | Q(consents__organization__name__icontains=text)
        ).distinct()
    return qs


def fee_range_for(*, patent_type: str) -> FeeRange | None:
    return FeeRange.objects.filter(patent_type=patent_type).first()


def comparable_fees(*, patent: Patent, exclude_id=None, limit: int = 10) -> dict:
    """Real comparables to help set a reasonable fee: fees of other announced
    declarations (local and master platform) of the same patent type, in the
    narrowest technical scope that has any — the IPC subclass, else the IPC
    class, else the type alone — plus the recorded deals (licences, open
    licences, transfers) on patents of the same subclass, with the medians."""
    from trading.selectors import comparable_deals

    main_ipc = (patent.main_ipc or "").replace(" ", "")
    base = Declaration.objects.filter(
        status=Declaration.Status.ANNOUNCED, patent__patent_type=patent.patent_type
    ).select_related("patent")
    if exclude_id:
        base = base.exclude(pk=exclude_id)
    base = base.exclude(patent=patent)
    scopes = [(main_ipc[:4], "subclass"), (main_ipc[:3], "class"), ("", "type")]
    rows, scope, prefix = [], "type", ""
    for prefix, scope in scopes:
        if prefix and len(prefix) < (4 if scope == "subclass" else 3):
            continue
        qs = base.filter(patent__main_ipc__startswith=prefix) if prefix else base
        rows = list(qs.order_by("-announced_on", "-id")[:limit])
        if rows:
            break
    lumps = [r.fee_lump_sum for r in rows if r.fee_lump_sum is not None]
    sales = [
        r.royalty_rate
        for r in rows
        if r.royalty_rate is not None and r.royalty_base != Declaration.RoyaltyBase.PROFIT
    ]
    profit = [
        r.royalty_rate
        for r in rows
        if r.royalty_rate is not None and r.royalty_base == Declaration.RoyaltyBase.PROFIT
    ]
    deals = list(comparable_deals(patents=[patent], limit=limit))
    amounts = [d.amount for d in deals if d.amount]
    return {
        "subclass": main_ipc[:4],
        "scope": scope,
        "scope_prefix": prefix if rows else "",
        "rows": rows,
        "median_lump_sum": median(lumps) if lumps else None,
        "median_royalty_rate": median(sales) if sales else None,
        "median_profit_royalty_rate": median(profit) if profit else None,
        "deals": deals,
        "median_deal_amount": median(amounts) if amounts else None,
    }


def annual_fee_reduction(*, patent: Patent, on: dt.date | None = None) -> tuple[bool, str]:
    """Whether the patent's annual fee qualifies for the 15% reduction granted
    during the implementation of an open licence: an announced, not withdrawn
    declaration with at least one licence that is paid, filed and within its term."""
    on = on or timezone.localdate()
    declaration = patent.open_licence_declarations.filter(
        status=Declaration.Status.ANNOUNCED
    ).first()
    if declaration is None:
        return False, _("No open licence is in force on this patent.")
    filed = declaration.licences.filter(
        status=OpenLicence.Status.FILED, deal__ends_on__gte=on
    ).exists()
    if not filed:
        return False, _("The open licence has no filed licence in force yet.")
    return True, _(
        "Eligible for the 15% annual fee reduction while the open licence is implemented."
    )


def open_licence_availability(patent_ids: list[int]) -> dict[int, str]:
    """Patents among ``patent_ids`` under an announced open licence.

    The matcher's availability signal (``settings.MATCHING_AVAILABILITY_PROVIDERS``):
    matching may not import this app, so settings name this function instead.
    """
    announced = Declaration.objects.filter(
        patent_id__in=patent_ids, status=Declaration.Status.ANNOUNCED
    ).values_list("patent_id", flat=True)
    return {pk: _("Open licence available") for pk in announced}


# --- Pushing open-licence items to matching enterprises ------------------------

PUSH_ITEM_KIND = "open_licence"


def open_licence_items_pushed_in_period(*, start: dt.date, end: dt.date, programme_line=None):
    """Open-licence items sent to enterprises in [start, end) (handed to a channel).

    Staff's working figure; the "open-licence items pushed" KPI counts only the
    delivered ones (``matching.selectors.push_items_delivered_in_period`` with
    this kind, through reporting's ``push_items_sent`` measure). One item reaching
    one enterprise counts once: matching never pushes it there twice."""
    from matching.selectors import push_items_sent_in_period

    return push_items_sent_in_period(
        start=start, end=end, programme_line=programme_line, kinds=[PUSH_ITEM_KIND]
    )


@dataclass(slots=True)
class PushCandidate:
    """A published technology need the declared patent answers, and its enterprise."""

    need_id: int
    need_title: str
    organization_id: int
    organization_name: str
    score: float
    reasons: list[str] = field(default_factory=list)
    already_pushed: bool = False


def open_licence_push_candidates(*, declaration: Declaration, top: int = 20) -> list[PushCandidate]:
    """Published needs matching the declaration's patent (matching's patent → needs
    direction), best first; the patentees' own needs are left out and enterprises
    that already received this item are marked."""
    from matching.matcher import patent_needs
    from matching.selectors import needs_published, push_item_recipients

    matches = patent_needs(patent=declaration.patent, top=top)
    if not matches:
        return []
    needs = {
        n.pk: n
        for n in needs_published()
        .filter(pk__in=[m.need_id for m in matches])
        .select_related("organization")
    }
    patentees = set(declaration.consents.values_list("organization_id", flat=True))
    pushed = push_item_recipients(kind=PUSH_ITEM_KIND, object_id=declaration.pk)
    candidates = []
    for match in matches:
        need = needs.get(match.need_id)
        if need is None or need.organization_id in patentees:
            continue
        candidates.append(
            PushCandidate(
                need_id=need.pk,
                need_title=need.title,
                organization_id=need.organization_id,
                organization_name=need.organization.name,
                score=match.score,
                reasons=list(match.reasons),
                already_pushed=need.organization_id in pushed,
            )
        )
    return candidates


def declarations_to_push(*, announced_since: dt.date) -> QuerySet[Declaration]:
    """Announced items (no withdrawal pending) announced on or after the date."""
    return (
        Declaration.objects.filter(
            status=Declaration.Status.ANNOUNCED,
            announced_on__gte=announced_since,
            withdrawal_requested_at__isnull=True,
        )
        .select_related("patent")
        .order_by("announced_on", "id")
    )
