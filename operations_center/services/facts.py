"""Rebuild a chain's navigation aggregates (see ``models/facts.py``).

Every statement is an ``INSERT … SELECT … GROUP BY`` built by the ORM; a
node's figures include its descendants' tags (a stage node counts the
patents of its segments once each).
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
    IndustryChain,
    NodeApplicantFact,
    NodeFact,
    NodeIpcFact,
    PatentNodeTag,
    RegionTotalFact,
)
from .chains import node_descendant_ids
from .sql import insert_from_select

COUNTED_STATUSES = (PatentNodeTag.Status.AUTO, PatentNodeTag.Status.CONFIRMED)


def _first_applicant(prefix: str = "") -> FilteredRelation:
    return FilteredRelation(
        f"{prefix}applicant_links", condition=Q(**{f"{prefix}applicant_links__sequence": 0})
    )


def patent_dimensions(prefix: str = "") -> dict:
    """Expressions of a patent's navigation dimensions; ``first`` must be annotated."""
    return {
        "country": F(f"{prefix}country"),
        "province": Coalesce(Left("first__organization__region_id", 2), Value("")),
        "city": Coalesce(Left("first__organization__region_id", 4), Value("")),
        "year": ExtractYear(Coalesce(f"{prefix}application_date", f"{prefix}publication_date")),
        "patent_type": F(f"{prefix}patent_type"),
        "legal_status": F(f"{prefix}legal_status"),
        "applicant_kind": Coalesce(F("first__organization__kind"), Value("")),
    }


def counted_tags(*, chain: IndustryChain, node_ids: list[int]) -> QuerySet[PatentNodeTag]:
    return PatentNodeTag.objects.filter(
        chain=chain, node_id__in=node_ids, status__in=COUNTED_STATUSES
    )


def _ids(chain: IndustryChain, node_id: int | None) -> tuple[list[int], Value]:
    descendants = node_descendant_ids(chain=chain)
    if node_id is None:
        return list(descendants), Cast(Value(None), output_field=BigIntegerField())
    return descendants[node_id], Value(node_id, output_field=IntegerField())


def _c(mapping: dict) -> dict:
    return {f"c_{k}": v for k, v in mapping.items()}


def _node_facts(chain: IndustryChain, node_id: int | None) -> None:
    node_ids, node_value = _ids(chain, node_id)
    base = counted_tags(chain=chain, node_ids=node_ids).annotate(first=_first_applicant("patent__"))
    dims = patent_dimensions("patent__")
    qs = base.values(
        **_c({"chain_id": Value(chain.pk, output_field=IntegerField()), "node_id": node_value}),
        **_c(dims),
    ).annotate(c_patents=Count("patent_id", distinct=True))
    insert_from_select(
        model=NodeFact, columns=["chain_id", "node_id", *dims, "patents"], queryset=qs
    )

    ipc_dims = {
        "province": dims["province"],
        "city": dims["city"],
        "subclass": Left("patent__main_ipc", 4),
    }
    qs = (
        base.exclude(patent__main_ipc="")
        .values(
            **_c({"chain_id": Value(chain.pk, output_field=IntegerField()), "node_id": node_value}),
            **_c(ipc_dims),
        )
        .annotate(c_patents=Count("patent_id", distinct=True))
    )
    insert_from_select(
        model=NodeIpcFact, columns=["chain_id", "node_id", *ipc_dims, "patents"], queryset=qs
    )

    app_dims = {
        "organization_id": F("patent__applicant_links__organization_id"),
        "kind": F("patent__applicant_links__organization__kind"),
        "province": Coalesce(
            Left("patent__applicant_links__organization__region_id", 2), Value("")
        ),
        "city": Coalesce(Left("patent__applicant_links__organization__region_id", 4), Value("")),
    }
    valid = Q(patent__patent_type=PatentType.INVENTION, patent__legal_status=LegalStatus.GRANTED)
    qs = (
        counted_tags(chain=chain, node_ids=node_ids)
        .filter(patent__applicant_links__isnull=False)
        .values(
            **_c({"chain_id": Value(chain.pk, output_field=IntegerField()), "node_id": node_value}),
            **_c(app_dims),
        )
        .annotate(
            c_patents=Count("patent_id", distinct=True),
            c_valid_inventions=Count("patent_id", filter=valid, distinct=True),
        )
    )
    insert_from_select(
        model=NodeApplicantFact,
        columns=["chain_id", "node_id", *app_dims, "patents", "valid_inventions"],
        queryset=qs,
    )


def region_totals_refresh() -> None:
    """All patents by region and year: the denominators of every share."""
    dims = patent_dimensions()
    dims = {k: dims[k] for k in ("country", "province", "city", "year")}
    qs = (
        Patent.objects.annotate(first=_first_applicant())
        .values(**_c(dims))
        .annotate(c_patents=Count("id"))
    )
    with transaction.atomic():
        RegionTotalFact.objects.all().delete()
        insert_from_select(model=RegionTotalFact, columns=[*dims, "patents"], queryset=qs)


def navigation_facts_refresh(*, chain: IndustryChain, with_totals: bool = True) -> None:
    if with_totals:
        region_totals_refresh()
    with transaction.atomic():
        for model in (NodeFact, NodeIpcFact, NodeApplicantFact):
            model.objects.filter(chain=chain).delete()
        _node_facts(chain, None)
        for node_id in chain.nodes.values_list("id", flat=True):
            _node_facts(chain, node_id)
        now = timezone.now()
        IndustryChain.objects.filter(pk=chain.pk).update(facts_refreshed_at=now)
        chain.facts_refreshed_at = now
