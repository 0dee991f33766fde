"""Drill-through: the patents behind a navigation figure."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from patents.models import LegalStatus, Patent, PatentApplicant, PatentType

from ..models import ChainNode, IndustryChain, PatentNodeTag
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
    if flt.national:
        dim["country"] = "CN"
    if flt.city:
        dim["city"] = flt.city
    if flt.year:
        dim["year"] = flt.year
    if flt.years:
        dim["year__gte"], dim["year__lte"] = flt.years.start, flt.years.end
    if flt.patent_type:
        dim["patent_type"] = flt.patent_type
    if flt.legal_status:
        dim["legal_status"] = flt.legal_status
    if flt.valid_inventions:
        dim["patent_type"], dim["legal_status"] = PatentType.INVENTION, LegalStatus.GRANTED
    if flt.applicant_kind:
        dim["applicant_kind"] = flt.applicant_kind
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
