"""Drill-through: the patents behind a navigation figure."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from patents.models import LegalStatus, Patent, PatentApplicant, PatentType

from ..models import (
    ChainNode,
    IndustryChain,
    NodeApplicantFact,
    NodeFact,
    NodeIpcFact,
    PatentNodeTag,
)
from ..services.chains import node_descendant_ids
from ..services.facts import COUNTED_STATUSES
from .scope import RegionScope, Years


@dataclass(frozen=True, slots=True)
class PatentFilter:
    node: ChainNode | None = None
    scope: RegionScope | None = None
    national: bool = False
    years: Years | None = None
    year: int | None = None
    city: str = ""
    patent_type: str = ""
    legal_status: str = ""
    applicant_kind: str = ""
    subclass: str = ""
    organization_id: int | None = None
    valid_inventions: bool = False


def tagged_patents(*, chain: IndustryChain, flt: PatentFilter) -> QuerySet[Patent]:
    """The patents a navigation figure counts: the same tags and the same
    ``PatentNavDim`` rows the aggregates were built from."""
    tags = PatentNodeTag.objects.filter(chain=chain, status__in=COUNTED_STATUSES)
    if flt.node:
        tags = tags.filter(node_id__in=node_descendant_ids(chain=chain)[flt.node.pk])
    qs = Patent.objects.filter(id__in=tags.values("patent_id"))
    dim: dict = {}
    if flt.organization_id:
        # Applicant lists count every applicant of a patent, in the applicant's region.
        links = PatentApplicant.objects.filter(organization_id=flt.organization_id)
        if flt.scope:
            links = links.filter(organization__region__code__startswith=flt.scope.value)
        qs = qs.filter(id__in=links.values("patent_id"))
    elif flt.scope:
        dim[flt.scope.field] = flt.scope.value
    dim.update(_fact_dimensions(flt))
    if flt.subclass:
        dim["subclass"] = flt.subclass
    if dim:
        qs = qs.filter(**{f"nav_dim__{k}": v for k, v in dim.items()})
    return qs.order_by("-application_date", "-id")


def patent_tags(*, chain: IndustryChain, patent_ids: list[int]) -> dict[int, list[PatentNodeTag]]:
    result: dict[int, list[PatentNodeTag]] = {}
    for tag in PatentNodeTag.objects.filter(chain=chain, patent_id__in=patent_ids).select_related(
        "node"
    ):
        result.setdefault(tag.patent_id, []).append(tag)
    return result


PAGE_SIZE = 50


@dataclass
class PatentPage:
    """One page of a drill-through list, newest record first, read by keyset
    (``id < after``): no OFFSET, and no COUNT over millions of tags."""

    patents: list[Patent] = field(default_factory=list)
    after: int | None = None  # the cursor this page was read from
    next_after: int | None = None  # the cursor of the next page, None on the last
    total: int | None = None
    total_from_aggregates: bool = False


def _fact_count(*, chain: IndustryChain, flt: PatentFilter) -> int | None:
    """The figure the list stands behind, read from the aggregates when the
    filter is one they are grouped by (the same numbers the pages show)."""
    node_q = {"node": flt.node} if flt.node else {"node__isnull": True}
    if flt.organization_id:
        if flt.years or flt.year or flt.national or flt.city or flt.patent_type:
            return None
        if flt.legal_status or flt.applicant_kind or flt.subclass:
            return None
        qs = NodeApplicantFact.objects.filter(
            chain=chain, organization_id=flt.organization_id, **node_q
        )
        if flt.scope:
            qs = qs.filter(flt.scope.fact_q())
        field_name = "valid_inventions" if flt.valid_inventions else "patents"
        return qs.aggregate(n=Sum(field_name))["n"] or 0
    if flt.subclass:
        if flt.years or flt.year or flt.national or flt.patent_type or flt.legal_status:
            return None
        if flt.applicant_kind or flt.valid_inventions:
            return None
        qs = NodeIpcFact.objects.filter(chain=chain, subclass=flt.subclass, **node_q)
        if flt.scope:
            qs = qs.filter(flt.scope.fact_q())
        if flt.city:
            qs = qs.filter(city=flt.city)
        return qs.aggregate(n=Sum("patents"))["n"] or 0
    qs = NodeFact.objects.filter(chain=chain, **node_q)
    if flt.scope:
        qs = qs.filter(flt.scope.fact_q())
    dims = _fact_dimensions(flt)
    return qs.filter(**dims).aggregate(n=Sum("patents"))["n"] or 0


def tagged_patents_page(
    *, chain: IndustryChain, flt: PatentFilter, after: int | None = None, size: int = PAGE_SIZE
) -> PatentPage:
    qs = tagged_patents(chain=chain, flt=flt).order_by("-id")
    if after:
        qs = qs.filter(id__lt=after)
    rows = list(qs[: size + 1])
    page = PatentPage(patents=rows[:size], after=after)
    if len(rows) > size:
        page.next_after = rows[size - 1].pk
    total = _fact_count(chain=chain, flt=flt) if chain.facts_refreshed_at else None
    if total is not None:
        page.total, page.total_from_aggregates = total, True
    else:
        # Filters the aggregates are not grouped by: one organization's or one
        # subclass's patents over some years — small sets, counted directly.
        page.total = tagged_patents(chain=chain, flt=flt).order_by().count()
    return page


def _fact_dimensions(flt: PatentFilter) -> dict:
    """The aggregate dimensions a drill-through filter fixes, named as the fact columns
    (shared by the tag drill-through and the fact totals so both count the same)."""
    dims: dict = {}
    if flt.national:
        dims["country"] = "CN"
    if flt.city:
        dims["city"] = flt.city
    if flt.year:
        dims["year"] = flt.year
    if flt.years:
        dims["year__gte"], dims["year__lte"] = flt.years.start, flt.years.end
    if flt.patent_type:
        dims["patent_type"] = flt.patent_type
    if flt.legal_status:
        dims["legal_status"] = flt.legal_status
    if flt.valid_inventions:
        dims["patent_type"], dims["legal_status"] = PatentType.INVENTION, LegalStatus.GRANTED
    if flt.applicant_kind:
        dims["applicant_kind"] = flt.applicant_kind
    return dims
