"""Talent profiles, the review queue and the public supply directory."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import ExpressionWrapper, F, FloatField, Prefetch, QuerySet, Value
from django.utils.translation import gettext as _

from patents.models import PatentApplicant

from ..models import ConsentRecord, SupplyItem, Talent, TalentLink


def talents_visible() -> QuerySet[Talent]:
    """Talents a profile page or search may show (objections upheld are hidden)."""
    return Talent.objects.filter(suppressed=False)


@dataclass
class TalentProfile:
    talent: Talent
    names: list[str]
    affiliations: list[
        tuple[str, int | None, int | None, int]
    ]  # name, first year, last year, patents
    regions: list[tuple[str, int]]
    fields: list[tuple[str, int]]  # IPC subclass, patents
    patents: list[dict]
    coinventors: list[tuple[Talent, int]]
    show_contact: bool
    show_biography: bool
    high_yield_rule: str = ""
    review_links: list[TalentLink] = field(default_factory=list)


def talent_profile(*, talent_id: int) -> TalentProfile | None:
    talent = talents_visible().filter(pk=talent_id).first()
    if talent is None:
        return None
    links = list(
        TalentLink.objects.filter(talent=talent)
        .select_related("mention__patent", "mention__region")
        .order_by("-mention__patent__application_date", "mention__patent__publication_number")
    )
    patent_ids = [link.mention.patent_id for link in links]
    orgs = defaultdict(list)
    for a in PatentApplicant.objects.filter(patent_id__in=patent_ids).select_related(
        "organization"
    ):
        orgs[a.patent_id].append(a.organization)
    affil: dict[str, list] = {}
    fields, regions = Counter(), Counter()
    patents = []
    for link in links:
        p = link.mention.patent
        day = p.application_date or p.publication_date
        year = day.year if day else None
        for org in orgs[p.pk]:
            row = affil.setdefault(org.name, [year, year, 0])
            if year:
                row[0] = min(filter(None, [row[0], year]))
                row[1] = max(filter(None, [row[1], year]))
            row[2] += 1
        for code in {c[:4] for c in (p.ipc_codes or p.cpc_codes or []) if len(c) >= 4}:
            fields[code] += 1
        if link.mention.region:
            regions[link.mention.region.name] += 1
        patents.append(
            {
                "patent": p,
                "role": _("First inventor") if link.mention.sequence == 0 else _("Co-inventor"),
                "sequence": link.mention.sequence,
                "status": p.get_legal_status_display(),
                "confidence": link.confidence,
                "holders": [o.name for o in orgs[p.pk]],
                "link": link,
            }
        )
    co = Counter(
        TalentLink.objects.filter(mention__patent_id__in=patent_ids, talent__suppressed=False)
        .exclude(talent=talent)
        .values_list("talent_id", flat=True)
    )
    co_talents = Talent.objects.in_bulk(list(co))
    from ..services.resolution import (
        HIGH_YIELD_MIN_GRANTED,
        HIGH_YIELD_MIN_PATENTS,
        HIGH_YIELD_MIN_RECENT,
    )

    active = set(talent.consents.filter(withdrawn_at__isnull=True).values_list("scope", flat=True))
    return TalentProfile(
        talent=talent,
        names=talent.name_variants or [talent.display_name],
        affiliations=sorted(
            ((n, a, b, c) for n, (a, b, c) in affil.items()), key=lambda r: -(r[3])
        ),
        regions=regions.most_common(),
        fields=fields.most_common(10),
        patents=patents,
        coinventors=[(co_talents[t], n) for t, n in co.most_common(20) if t in co_talents],
        show_contact=ConsentRecord.Scope.CONTACT in active,
        show_biography=ConsentRecord.Scope.PROFILE in active,
        high_yield_rule=_(
            "at least %(patents)s patents, and at least %(granted)s granted inventions "
            "or at least %(recent)s patents in the last 3 years"
        )
        % {
            "patents": HIGH_YIELD_MIN_PATENTS,
            "granted": HIGH_YIELD_MIN_GRANTED,
            "recent": HIGH_YIELD_MIN_RECENT,
        },
    )


def review_queue() -> QuerySet[TalentLink]:
    """Uncertain links, those whose decision would change the most first.

    Impact = (1 - confidence) x (patents of the talent + 1): the chance the link is
    wrong times how much of a person's record a decision moves (a doubtful link to a
    50-patent inventor outranks an equally doubtful one to a one-patent inventor).
    """
    impact = ExpressionWrapper(
        (Value(1.0) - F("confidence")) * (F("talent__patent_count") + Value(1.0)),
        output_field=FloatField(),
    )
    return (
        TalentLink.objects.filter(review=TalentLink.Review.PENDING)
        .select_related("talent", "mention__patent")
        .annotate(impact=impact)
        .order_by("-impact", "confidence", "id")
    )


def supply_directory(*, text: str = "", kind: str = "") -> QuerySet[SupplyItem]:
    qs = SupplyItem.objects.filter(status=SupplyItem.Status.PUBLISHED).select_related(
        "patent", "holder"
    )
    if text:
        qs = qs.filter(title__icontains=text)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.prefetch_related(
        Prefetch("talents", queryset=Talent.objects.filter(suppressed=False))
    )


def supply_item_push_history(*, item: SupplyItem) -> list:
    """Pushes that carried this item's patent (matching.PushItem, once matching lands)."""
    try:
        push_item = apps.get_model("matching", "PushItem")
    except LookupError:
        return []
    return list(
        push_item.objects.filter(patent_id=item.patent_id)
        .select_related("push__organization")
        .order_by("-push__sent_at")[:50]
    )
