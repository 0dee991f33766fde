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


@dataclass
class PoolAnalytics:
    pool: PatentPool
    coverage: list[NodeCoverage]
    contributed_patents: int
    contributors: int
    licences_signed: int
    royalties: object  # Decimal

    @property
    def nodes_total(self) -> int:
        return len(self.coverage)

    @property
    def nodes_covered(self) -> int:
        return sum(1 for c in self.coverage if not c.is_gap)

    @property
    def gaps(self) -> list[NodeCoverage]:
        return [c for c in self.coverage if c.is_gap]

    @property
    def coverage_percent(self) -> int:
        return round(100 * self.nodes_covered / self.nodes_total) if self.nodes_total else 0


def pool_analytics(*, pool: PatentPool, region_code: str = DEFAULT_REGION) -> PoolAnalytics:
    """Coverage of the chain's leaf nodes, its gaps, and the pool's licensing so far."""
    from .models import PoolLicence

    signed = pool.licences.filter(status=PoolLicence.Status.SIGNED)
    return PoolAnalytics(
        pool=pool,
        coverage=pool_coverage(pool=pool, region_code=region_code),
        contributed_patents=pool.contributions.count(),
        contributors=pool.contributions.values("contributor_id").distinct().count(),
        licences_signed=signed.count(),
        royalties=signed.aggregate(n=Sum("royalty"))["n"] or 0,
    )


def alliances_visible(*, user):
    """Staff see every alliance; a member organization's users see theirs."""
    from portal.permissions import scope_to_organization

    from .models import Alliance

    return scope_to_organization(
        Alliance.objects.select_related("chain").order_by("name"),
        user,
        "memberships__organization",
    ).distinct()


def pool_licences_visible(*, user):
    """Staff (by programme line) see every licence; a licensee its own."""
    from portal.permissions import scope_to_organization

    from .models import PoolLicence

    return scope_to_organization(
        PoolLicence.objects.select_related("pool", "licensee").order_by("-signed_on", "-id"),
        user,
        "licensee",
    )


def pool_licence_deal_get(*, deal_id: int):
    """A pool-licence deal recorded in trading, or None."""
    from trading.models import Deal

    return Deal.objects.filter(pk=deal_id, kind=Deal.Kind.POOL_LICENCE).first()
