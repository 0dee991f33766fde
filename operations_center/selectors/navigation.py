"""Navigation analytics read from the precomputed aggregates.

Drill-through lists live in ``drill.py``, the cached page bundle in ``landscape.py``.

Every figure here has a drill-through: ``tagged_patents`` with the same
filters returns exactly the patents the figure counts (tests check this).

Strong and weak links — the method shown on the page:

* RTA (revealed technological advantage) of a node in a region =
  (region's patents in the node / region's patents in the whole database) ÷
  (national patents in the node / national patents in the whole database),
  over the selected years. National = patents with country CN.
* Growth = region's node patents in the last three years of the range over
  the three years before, minus one.
* Valid inventions = the region's invention patents in the node that are granted
  and in force.
* Verdict: strong when RTA ≥ 1.2 and there is at least one valid invention;
  weak when RTA < 0.8 (or no regional patents at all); otherwise average.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from patents.models import (
    InventorMention,
    IPCCode,
    LegalStatus,
    Organization,
    PatentApplicant,
    PatentType,
    Region,
)

from ..models import (
    ChainNode,
    IndustryChain,
    NodeApplicantFact,
    NodeFact,
    NodeIpcFact,
    PatentNodeTag,
    RegionTotalFact,
)
from ..services.facts import COUNTED_STATUSES
from .drill import PatentFilter, PatentPage, patent_tags, tagged_patents, tagged_patents_page
from .scope import (
    DEFAULT_REGION,
    RegionScope,
    Years,
    default_years,
    region_choices,
    region_scope,
)

# The patents app's labels, repeated so this app's catalogue carries their Chinese.
PATENT_TYPE_LABELS = {
    PatentType.INVENTION: _("Invention"),
    PatentType.UTILITY_MODEL: _("Utility model"),
    PatentType.DESIGN: _("Design"),
    PatentType.OTHER: _("Other"),
}
LEGAL_STATUS_LABELS = {
    LegalStatus.PENDING: _("Pending"),
    LegalStatus.GRANTED: _("Granted, in force"),
    LegalStatus.LAPSED: _("Lapsed or expired"),
    LegalStatus.WITHDRAWN: _("Withdrawn"),
    LegalStatus.REJECTED: _("Rejected"),
    LegalStatus.UNKNOWN: _("Unknown"),
}
STRONG_RTA = 1.2
WEAK_RTA = 0.8


def _sum(qs) -> int:
    return qs.aggregate(n=Coalesce(Sum("patents"), 0))["n"]


@dataclass
class NodeRow:
    node: ChainNode
    depth: int
    region: int
    national: int
    database: int
    valid_inventions: int
    recent: int
    previous: int
    rta: float | None = None
    growth: float | None = None
    verdict: str = ""
    rank: int | None = None
    share_in_region: float | None = None
    children: list = field(default_factory=list)


def _verdict(row: NodeRow) -> str:
    if not row.region or row.rta is None or row.rta < WEAK_RTA:
        return "weak"
    if row.rta >= STRONG_RTA and row.valid_inventions > 0:
        return "strong"
    return "average"


def chain_overview(*, chain: IndustryChain, scope: RegionScope, years: Years) -> list[NodeRow]:
    """One row per node (depth-first), with the strong/weak-link figures."""
    # One scan of the chain's facts with conditional sums (not one query per figure).
    region_q = scope.fact_q()
    in_years = years.q()
    recent_years = Q(year__gte=years.end - 2, year__lte=years.end)
    previous_years = Q(year__gte=years.end - 5, year__lte=years.end - 3)
    valid_q = Q(patent_type=PatentType.INVENTION, legal_status=LegalStatus.GRANTED)
    figures = {
        "region": region_q & in_years,
        "national": Q(country="CN") & in_years,
        "database": in_years,
        "valid": region_q & in_years & valid_q,
        "recent": region_q & recent_years,
        "previous": region_q & previous_years,
    }
    sums = {name: Coalesce(Sum("patents", filter=cond), 0) for name, cond in figures.items()}
    per_node_rows = {
        r["node_id"]: r
        for r in NodeFact.objects.filter(chain=chain, node__isnull=False)
        .filter(in_years | recent_years | previous_years)
        .values("node_id")
        .annotate(**sums)
    }
    empty = dict.fromkeys(figures, 0)

    totals = RegionTotalFact.objects.filter(years.q())
    region_all = _sum(totals.filter(scope.fact_q()))
    national_all = _sum(totals.filter(country="CN"))

    nodes = list(chain.nodes.order_by("position", "id"))
    children: dict[int | None, list[ChainNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    rows: list[NodeRow] = []

    def walk(parent_id, depth):
        for node in children.get(parent_id, []):
            f = per_node_rows.get(node.pk, empty)
            row = NodeRow(
                node=node,
                depth=depth,
                region=f["region"],
                national=f["national"],
                database=f["database"],
                valid_inventions=f["valid"],
                recent=f["recent"],
                previous=f["previous"],
            )
            if region_all and national_all and row.national:
                row.rta = (row.region / region_all) / (row.national / national_all)
            if row.previous:
                row.growth = row.recent / row.previous - 1
            if row.national:
                row.share_in_region = row.region / row.national
            row.verdict = _verdict(row)
            rows.append(row)
            walk(node.pk, depth + 1)

    walk(None, 0)
    leaves = sorted(
        (r for r in rows if not children.get(r.node.pk)),
        key=lambda r: (r.rta is None, -(r.rta or 0), -r.region),
    )
    for rank, row in enumerate(leaves, start=1):
        row.rank = rank
    return rows


def _node_filter(chain: IndustryChain, node: ChainNode | None) -> Q:
    return Q(chain=chain, node=node) if node else Q(chain=chain, node__isnull=True)


def node_trend(*, chain, node, scope: RegionScope, years: Years) -> list[dict]:
    rows = (
        NodeFact.objects.filter(_node_filter(chain, node))
        .filter(years.q())
        .values("year")
        .annotate(
            region=Coalesce(Sum("patents", filter=scope.fact_q()), 0),
            national=Coalesce(Sum("patents", filter=Q(country="CN")), 0),
            database=Sum("patents"),
        )
    )
    result = {
        y: {"year": y, "region": 0, "national": 0, "database": 0}
        for y in range(years.start, years.end + 1)
    }
    for r in rows:
        if r["year"] in result:
            result[r["year"]].update(r)
    return list(result.values())


def _group(qs, field_name: str) -> list[tuple[str, int]]:
    return list(
        qs.values(field_name)
        .annotate(n=Sum("patents"))
        .order_by("-n", field_name)
        .values_list(field_name, "n")
    )


def node_breakdowns(*, chain, node, scope: RegionScope, years: Years) -> dict:
    facts = (
        NodeFact.objects.filter(_node_filter(chain, node)).filter(years.q()).filter(scope.fact_q())
    )
    region_names = dict(Region.objects.values_list("code", "name"))
    if scope.field == "province":
        by_city = [
            (code, region_names.get(code + "00", code) if code else _("Unknown"), n)
            for code, n in _group(facts, "city")
        ]
    else:
        by_city = []
    labels = {
        "applicant_kind": dict(Organization.Kind.choices),
        "patent_type": PATENT_TYPE_LABELS,
        "legal_status": LEGAL_STATUS_LABELS,
    }
    out = {"city": by_city}
    for dim, names in labels.items():
        out[dim] = [(value, names.get(value, _("Unknown")), n) for value, n in _group(facts, dim)]
    ipc = NodeIpcFact.objects.filter(_node_filter(chain, node)).filter(scope.fact_q())
    ipc_rows = _group(ipc, "subclass")[:15]
    titles = dict(
        IPCCode.objects.filter(code__in=[c for c, _n in ipc_rows]).values_list("code", "title_zh")
    )
    out["ipc"] = [(code, titles.get(code, ""), n) for code, n in ipc_rows]
    out["total"] = _sum(facts)
    return out


def top_applicants(*, chain, node, scope: RegionScope, limit: int = 20) -> list[dict]:
    """Key enterprises: applicants in the region by tagged patents (all years)."""
    qs = (
        NodeApplicantFact.objects.filter(_node_filter(chain, node))
        .filter(scope.fact_q())
        .values("organization_id", "organization__name", "kind")
        .annotate(n=Sum("patents"), valid=Sum("valid_inventions"))
        .order_by("-n", "organization__name")[:limit]
    )
    kinds = dict(Organization.Kind.choices)
    return [
        {
            "id": r["organization_id"],
            "name": r["organization__name"],
            "kind": r["kind"],
            "kind_label": kinds.get(r["kind"], r["kind"]),
            "patents": r["n"],
            "valid_inventions": r["valid"],
        }
        for r in qs
    ]


# --- Key technologies, talents and the resource graph (bounded live queries) ----------


def key_inventors(*, chain, node, scope: RegionScope, limit: int = 15) -> list[dict]:
    patents = tagged_patents(chain=chain, flt=PatentFilter(node=node, scope=scope)).values("id")
    return list(
        InventorMention.objects.filter(patent_id__in=patents)
        .values("normalized_name")
        .annotate(patents=Count("patent_id", distinct=True), name=F("normalized_name"))
        .order_by("-patents", "normalized_name")[:limit]
    )


def key_technologies(*, chain, node, scope: RegionScope, limit: int = 10) -> list[dict]:
    """Key technologies: the node's most frequent IPC subclasses in the region."""
    rows = (
        NodeIpcFact.objects.filter(_node_filter(chain, node))
        .filter(scope.fact_q())
        .values("subclass")
        .annotate(n=Sum("patents"))
        .order_by("-n", "subclass")[:limit]
    )
    titles = dict(
        IPCCode.objects.filter(code__in=[r["subclass"] for r in rows]).values_list(
            "code", "title_zh"
        )
    )
    return [
        {"subclass": r["subclass"], "title": titles.get(r["subclass"], ""), "patents": r["n"]}
        for r in rows
    ]


def resource_graph(*, chain, scope: RegionScope, limit: int = 40) -> dict:
    """Applicants (by kind) and leaf nodes as a network: applicant–node edges weighted by
    tagged patents, applicant–applicant edges by co-applied patents in the chain."""
    leaf_facts = NodeApplicantFact.objects.filter(
        chain=chain, node__isnull=False, node__children__isnull=True
    ).filter(scope.fact_q())
    top = list(
        leaf_facts.values("organization_id", "organization__name", "kind")
        .annotate(n=Sum("patents"))
        .order_by("-n")[:limit]
    )
    org_ids = [r["organization_id"] for r in top]
    nodes_out = [
        {
            "id": f"o{r['organization_id']}",
            "name": r["organization__name"],
            "category": r["kind"],
            "value": r["n"],
        }
        for r in top
    ]
    used_nodes: dict[int, str] = {}
    links = []
    for r in leaf_facts.filter(organization_id__in=org_ids).values(
        "organization_id", "node_id", "node__name", "patents"
    ):
        used_nodes[r["node_id"]] = r["node__name"]
        links.append(
            {
                "source": f"o{r['organization_id']}",
                "target": f"n{r['node_id']}",
                "value": r["patents"],
                "kind": "node",
            }
        )
    nodes_out += [
        {"id": f"n{k}", "name": v, "category": "node", "value": 0} for k, v in used_nodes.items()
    ]
    chain_patents = PatentNodeTag.objects.filter(chain=chain, status__in=COUNTED_STATUSES).values(
        "patent_id"
    )
    pairs = PatentApplicant.objects.filter(
        patent_id__in=chain_patents, organization_id__in=org_ids
    ).values("patent_id", "organization_id")
    by_patent: dict[int, set[int]] = {}
    for p in pairs:
        by_patent.setdefault(p["patent_id"], set()).add(p["organization_id"])
    co: dict[tuple[int, int], int] = {}
    for orgs in by_patent.values():
        ordered = sorted(orgs)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                co[(a, b)] = co.get((a, b), 0) + 1
    links += [
        {"source": f"o{a}", "target": f"o{b}", "value": n, "kind": "co"} for (a, b), n in co.items()
    ]
    return {"nodes": nodes_out, "links": links}


__all__ = [
    "DEFAULT_REGION",
    "PatentFilter",
    "PatentPage",
    "RegionScope",
    "Years",
    "default_years",
    "patent_tags",
    "region_choices",
    "region_scope",
    "tagged_patents",
    "tagged_patents_page",
]
