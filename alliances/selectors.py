"""Reads of alliances: pool coverage of the alliance chain's nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from operations_center.models import ChainNode, NodeApplicantFact, PatentNodeTag
from operations_center.selectors.navigation import DEFAULT_REGION, region_scope
from operations_center.services.facts import COUNTED_STATUSES

from .models import AllianceMember, PatentPool


@dataclass
class NodeCoverage:
    node: ChainNode
    pool_patents: int
    candidates: list[dict] = field(default_factory=list)  # regional holders outside the alliance

    @property
    def is_gap(self) -> bool:
        return self.pool_patents == 0


def pool_coverage(*, pool: PatentPool, region_code: str = DEFAULT_REGION) -> list[NodeCoverage]:
    """Each leaf node of the alliance's chain with the pool patents tagged to it; for
    gaps, the region's top applicants in that node that are not members yet."""
    chain = pool.alliance.chain
    leaves = list(chain.nodes.filter(children__isnull=True).order_by("position", "id"))
    counts = dict(
        PatentNodeTag.objects.filter(
            chain=chain,
            status__in=COUNTED_STATUSES,
            patent_id__in=pool.contributions.values("patent_id"),
        )
        .values("node_id")
        .annotate(n=Count("patent_id", distinct=True))
        .values_list("node_id", "n")
    )
    members = set(
        AllianceMember.objects.filter(alliance=pool.alliance).values_list(
            "organization_id", flat=True
        )
    )
    scope = region_scope(code=region_code)
    result = []
    for node in leaves:
        coverage = NodeCoverage(node=node, pool_patents=counts.get(node.pk, 0))
        if coverage.is_gap:
            coverage.candidates = list(
                NodeApplicantFact.objects.filter(chain=chain, node=node)
                .filter(scope.fact_q())
                .exclude(organization_id__in=members)
                .values("organization_id", "organization__name")
                .annotate(n=Sum("patents"))
                .order_by("-n")[:3]
            )
        result.append(coverage)
    return result
