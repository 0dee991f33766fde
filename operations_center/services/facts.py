"""Rebuild the navigation aggregates (see ``models/facts.py``).

Three steps, each a few set-based ``INSERT … SELECT … GROUP BY`` statements
built by the ORM:

1. ``PatentNavDim``: every patent's dimensions (first applicant's region, year,
   type, status, applicant kind, main IPC subclass) — shared by all chains; the
   whole-database totals per region and year come from it.
2. ``ChainNodeClosure``: the chain's ancestor–descendant pairs.
3. Per chain, one statement per fact table groups tags ⨝ closure ⨝ dimensions,
   so a node counts its segments' patents once each.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, Left
from django.utils import timezone

from patents.models import LegalStatus, Patent, PatentType

from ..models import (
    ChainNodeClosure,
    IndustryChain,
    NodeApplicantFact,
    NodeFact,
    NodeIpcFact,
    PatentNavDim,
    PatentNodeTag,
    RegionTotalFact,
)
from .chains import node_descendant_ids
from .sql import analyze, insert_from_select

COUNTED_STATUSES = (PatentNodeTag.Status.AUTO, PatentNodeTag.Status.CONFIRMED)
DIMS = ["country", "province", "city", "year", "patent_type", "legal_status", "applicant_kind"]


def _c(mapping: dict) -> dict:
    return {f"c_{k}": v for k, v in mapping.items()}


def patent_dims_refresh() -> None:
    first = FilteredRelation("applicant_links", condition=Q(applicant_links__sequence=0))
    dims = {
        "patent_id": F("id"),
        "country": F("country"),
        "province": Coalesce(Left("first__organization__region_id", 2), Value("")),
        "city": Coalesce(Left("first__organization__region_id", 4), Value("")),
        "year": ExtractYear(Coalesce("application_date", "publication_date")),
        "patent_type": F("patent_type"),
        "legal_status": F("legal_status"),
        "applicant_kind": Coalesce(F("first__organization__kind"), Value("")),
        "subclass": Left("main_ipc", 4),
    }
    qs = Patent.objects.annotate(first=first).values(**_c(dims))
    with transaction.atomic():
        PatentNavDim.objects.all().delete()
        insert_from_select(model=PatentNavDim, columns=list(dims), queryset=qs)
        analyze(PatentNavDim)
        RegionTotalFact.objects.all().delete()
        totals = {k: F(k) for k in ("country", "province", "city", "year")}
        insert_from_select(
            model=RegionTotalFact,
            columns=[*totals, "patents"],
            queryset=PatentNavDim.objects.values(**_c(totals)).annotate(
                c_patents=Count("patent_id")
            ),
        )


# Kept under its old name: the nightly task and tests call it.
region_totals_refresh = patent_dims_refresh


def closure_refresh(*, chain: IndustryChain) -> None:
    ChainNodeClosure.objects.filter(chain=chain).delete()
    ChainNodeClosure.objects.bulk_create(
        ChainNodeClosure(chain=chain, ancestor_id=ancestor, descendant_id=descendant)
        for ancestor, descendants in node_descendant_ids(chain=chain).items()
        for descendant in descendants
    )


def counted_tags(*, chain: IndustryChain) -> QuerySet[PatentNodeTag]:
    return PatentNodeTag.objects.filter(chain=chain, status__in=COUNTED_STATUSES)


def _chain_facts(chain: IndustryChain) -> None:
    chain_id = Value(chain.pk, output_field=IntegerField())
    no_node = Cast(Value(None), output_field=BigIntegerField())
    by_node = F("node__ancestor_links__ancestor_id")
    dim = {k: F(f"patent__nav_dim__{k}") for k in DIMS}
    for node_value in (by_node, no_node):
        base = counted_tags(chain=chain)
        qs = base.values(**_c({"chain_id": chain_id, "node_id": node_value}), **_c(dim)).annotate(
            c_patents=Count("patent_id", distinct=True)
        )
        insert_from_select(
            model=NodeFact, columns=["chain_id", "node_id", *DIMS, "patents"], queryset=qs
        )

        ipc = {
            "province": F("patent__nav_dim__province"),
            "city": F("patent__nav_dim__city"),
            "subclass": F("patent__nav_dim__subclass"),
        }
        qs = (
            base.exclude(patent__nav_dim__subclass="")
            .values(**_c({"chain_id": chain_id, "node_id": node_value}), **_c(ipc))
            .annotate(c_patents=Count("patent_id", distinct=True))
        )
        insert_from_select(
            model=NodeIpcFact, columns=["chain_id", "node_id", *ipc, "patents"], queryset=qs
        )

        org = "patent__applicant_links__organization"
        app = {
            "organization_id": F(f"{org}_id"),
            "kind": F(f"{org}__kind"),
            "province": Coalesce(Left(f"{org}__region_id", 2), Value("")),
            "city": Coalesce(Left(f"{org}__region_id", 4), Value("")),
        }
        valid = Q(
            patent__patent_type=PatentType.INVENTION, patent__legal_status=LegalStatus.GRANTED
        )
        qs = (
            base.filter(patent__applicant_links__isnull=False)
            .values(**_c({"chain_id": chain_id, "node_id": node_value}), **_c(app))
            .annotate(
                c_patents=Count("patent_id", distinct=True),
                c_valid_inventions=Count("patent_id", filter=valid, distinct=True),
            )
        )
        insert_from_select(
            model=NodeApplicantFact,
            columns=["chain_id", "node_id", *app, "patents", "valid_inventions"],
            queryset=qs,
        )


def navigation_facts_refresh(*, chain: IndustryChain, with_totals: bool = True) -> None:
    if with_totals:
        patent_dims_refresh()
    with transaction.atomic():
        closure_refresh(chain=chain)
        for model in (NodeFact, NodeIpcFact, NodeApplicantFact):
            model.objects.filter(chain=chain).delete()
        _chain_facts(chain)
        analyze(NodeFact, NodeIpcFact, NodeApplicantFact)
        now = timezone.now()
        IndustryChain.objects.filter(pk=chain.pk).update(facts_refreshed_at=now)
        chain.facts_refreshed_at = now
