"""Reads of the trading hub, including the KPI selectors of the contract."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Broker,
    Deal,
    DealPatent,
    FinancingInstitution,
    Listing,
    PartnerMarket,
    Policy,
    SettlementMilestone,
)

COUNTED_STATUSES = (Deal.Status.SIGNED, Deal.Status.RECORDED)


def _period(day_field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{day_field}__gte": start, f"{day_field}__lt": end})


class Origin:
    """Where a counted record comes from: this hub, or a partner market's feed."""

    OWN = "own"
    IMPORTED = "imported"
    ALL = "all"


def _origin(qs: QuerySet, origin: str | None, prefix: str = "") -> QuerySet:
    """Own records carry no ``external_source``; partner markets' imports do. Imported
    records are shown beside the hub's own figures, never summed into them."""
    if origin in (None, Origin.ALL):
        return qs
    key = f"{prefix}external_source"
    if origin == Origin.OWN:
        return qs.filter(**{key: ""})
    if origin == Origin.IMPORTED:
        return qs.exclude(**{key: ""})
    raise ValueError(f"unknown origin {origin!r}")


def _evidenced_deals() -> Q:
    """A deal that happened: signed or recorded, and backed by its CNIPA recordal or by
    a payment (a settlement milestone paid or confirmed). An open-licence deal is only
    created once the licence's payment is confirmed (openlicense), so it is evidenced by
    construction; its recordal follows within three months."""
    paid = SettlementMilestone.objects.filter(
        deal_id=OuterRef("pk"),
        status__in=(SettlementMilestone.Status.PAID, SettlementMilestone.Status.CONFIRMED),
    )
    return (
        Q(status=Deal.Status.RECORDED)
        | ~Q(recordal_number="")
        | Q(Exists(paid))
        | Q(kind=Deal.Kind.OPEN_LICENCE)
    )


def _region_filter(prefix: str, region_prefixes) -> Q:
    """Organizations whose region code starts with one of the given GB/T 2260 prefixes
    (two digits: a province)."""
    q = Q()
    for code in region_prefixes:
        q |= Q(**{f"{prefix}region__code__startswith": str(code)})
    return q


def deals_in_period(
    *,
    start: dt.date,
    end: dt.date,
    programme_line=None,
    kinds=None,
    origin: str | None = None,
    evidenced: bool = False,
    assignor_kinds=None,
    assignee_kinds=None,
    assignee_region_prefixes=None,
) -> QuerySet[Deal]:
    """Signed or recorded deals signed in [start, end); cancelled ones excluded.

    ``origin`` ("own", "imported", or None for both), ``evidenced`` (only deals backed
    by recordal or payment evidence), the parties' kinds and the receiving party's
    province narrow it to what a KPI counts."""
    qs = Deal.objects.filter(_period("signed_on", start, end), status__in=COUNTED_STATUSES)
    if programme_line:
        qs = qs.filter(programme_line=programme_line)
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    qs = _origin(qs, origin)
    if evidenced:
        qs = qs.filter(_evidenced_deals())
    if assignor_kinds:
        qs = qs.filter(assignor__kind__in=list(assignor_kinds))
    if assignee_kinds:
        qs = qs.filter(assignee__kind__in=list(assignee_kinds))
    if assignee_region_prefixes:
        qs = qs.filter(_region_filter("assignee__", assignee_region_prefixes))
    return qs


def deal_patents_in_period(
    *,
    start: dt.date,
    end: dt.date,
    programme_line=None,
    kinds=None,
    assignor_kinds=None,
    assignee_kinds=None,
    origin: str | None = None,
    evidenced: bool = False,
    assignee_region_prefixes=None,
) -> QuerySet[DealPatent]:
    """One row per patent per counted deal, e.g. university → enterprise transfers."""
    deals = deals_in_period(
        start=start,
        end=end,
        programme_line=programme_line,
        kinds=kinds,
        origin=origin,
        evidenced=evidenced,
        assignor_kinds=assignor_kinds,
        assignee_kinds=assignee_kinds,
        assignee_region_prefixes=assignee_region_prefixes,
    )
    return DealPatent.objects.filter(deal__in=deals).select_related("deal", "patent")


def listings_listed_in_period(
    *, start: dt.date, end: dt.date, programme_line=None, origin: str | None = None
):
    """Listings that went public in [start, end), local dates."""
    tz = timezone.get_current_timezone()
    start_dt = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_dt = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    qs = Listing.objects.filter(listed_at__gte=start_dt, listed_at__lt=end_dt)
    if programme_line:
        qs = qs.filter(programme_line=programme_line)
    return _origin(qs, origin)


def partner_markets_connected() -> QuerySet[PartnerMarket]:
    """Active partner markets that have exchanged data at least once."""
    return PartnerMarket.objects.filter(active=True, last_import_at__isnull=False)


def listings_public(*, text: str = "", purpose: str = "", subject: str = "") -> QuerySet[Listing]:
    qs = Listing.objects.filter(status__in=(Listing.Status.LISTED, Listing.Status.NOTICE))
    if text:
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(listing_patents__patent__publication_number__iexact=text)
            | Q(listing_patents__patent__title__icontains=text)
        ).distinct()
    if purpose:
        qs = qs.filter(purpose=purpose)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.select_related("holder").order_by("-listed_at", "-id")


def listing_get(*, pk: int) -> Listing | None:
    return (
        Listing.objects.select_related("holder", "broker")
        .prefetch_related("listing_patents__patent", "history", "objections", "documents")
        .filter(pk=pk)
        .first()
    )


def comparable_deals(*, patents, limit: int = 10) -> QuerySet[Deal]:
    """Past counted deals on patents of the same IPC subclasses."""
    subclasses = {(p.main_ipc or "")[:4] for p in patents if p.main_ipc}
    ids = [p.pk for p in patents]
    if not subclasses:
        return Deal.objects.none()
    q = Q()
    for sub in subclasses:
        q |= Q(deal_patents__patent__main_ipc__startswith=sub)
    return (
        Deal.objects.filter(q, status__in=COUNTED_STATUSES)
        .exclude(deal_patents__patent_id__in=ids)
        .select_related("assignor", "assignee")
        .distinct()
        .order_by("-signed_on")[:limit]
    )


def broker_performance() -> QuerySet[Broker]:
    return Broker.objects.annotate(
        listings_handled=Count("listings", distinct=True),
        deals_closed=Count("deals", filter=Q(deals__status__in=COUNTED_STATUSES), distinct=True),
        deal_volume=Sum("deals__amount", filter=Q(deals__status__in=COUNTED_STATUSES)),
        commission_total=Sum(
            "deals__commission_amount", filter=Q(deals__status__in=COUNTED_STATUSES)
        ),
    ).order_by("-deals_closed", "name")


def financing_matches(*, amount, industry: str = "", stage: str = ""):
    """Institutions whose ticket range covers ``amount`` and whose focus includes
    the industry (IPC prefix) or stage; best matches (both) first."""
    qs = FinancingInstitution.objects.filter(active=True)
    qs = qs.filter(Q(ticket_min__isnull=True) | Q(ticket_min__lte=amount))
    qs = qs.filter(Q(ticket_max__isnull=True) | Q(ticket_max__gte=amount))
    scored = []
    for inst in qs:
        score = 0
        if industry and any(industry.upper().startswith(p.upper()) for p in inst.industries):
            score += 2
        if stage and stage in inst.stages:
            score += 1
        if score or (not industry and not stage):
            scored.append((score, inst))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [inst for _, inst in scored]


def policies_search(
    *, text="", level="", region="", topic="", date_from=None, date_to=None
) -> list[Policy] | QuerySet[Policy]:
    """Policies by the filters; with ``text``, full-text search through the search
    service's analysis (``patents.search.analysis``: the same Chinese word
    segmentation and stemming as patent search), every query word required,
    ranked by where the words occur (title, then summary, then full text), each
    result with a highlighted ``snippet``."""
    from patents.search.analysis import query_tokens
    from patents.search.highlight import highlight

    qs = Policy.objects.select_related("region")
    if level:
        qs = qs.filter(level=level)
    if region:
        # A province's code prefix also finds its cities' policies.
        code = region.strip()
        prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
        qs = qs.filter(region_id__startswith=prefix)
    if topic:
        qs = qs.filter(topic=topic)
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    tokens = list(dict.fromkeys(query_tokens(text))) if text and text.strip() else []
    if not tokens:
        return qs
    for token in tokens:
        qs = qs.filter(search_tokens__contains=f" {token} ")
    wanted = set(tokens)

    def score(policy: Policy) -> float:
        return sum(
            3.0 * policy.title.count(t)
            + 2.0 * policy.summary.count(t)
            + min(policy.full_text.count(t), 10) * 0.2
            for t in wanted
        )

    results = list(qs[:1000])
    for policy in results:
        policy.relevance = score(policy)
        policy.snippet = highlight(policy.summary or policy.full_text, wanted, snippet=True)
    results.sort(
        key=lambda p: (-p.relevance, -(p.issued_on.toordinal() if p.issued_on else 0), p.pk)
    )
    return results


def listing_availability(patent_ids: list[int]) -> dict[int, str]:
    """Patents among ``patent_ids`` in a listing that is publicly listed now.

    The matcher's availability signal (``settings.MATCHING_AVAILABILITY_PROVIDERS``).
    """
    wanted = set(patent_ids)
    listed = Listing.objects.filter(status=Listing.Status.LISTED, patents__in=wanted).values_list(
        "patents", flat=True
    )
    return {pk: _("Listed on the trading hub") for pk in listed if pk in wanted}
