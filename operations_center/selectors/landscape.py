"""One landscape page's figures, cached until the next aggregate refresh."""

from __future__ import annotations

from django.core.cache import cache

from ..models import IndustryChain
from .navigation import (
    DEFAULT_REGION,
    RegionScope,
    Years,
    chain_overview,
    default_years,
    key_inventors,
    key_technologies,
    node_breakdowns,
    node_trend,
    region_scope,
    resource_graph,
    top_applicants,
)


def landscape_data(*, chain: IndustryChain, scope: RegionScope, years: Years, node=None) -> dict:
    """Everything the landscape page shows for one chain / node / region / years.

    Cached under the chain's ``facts_refreshed_at``: the figures come from the
    aggregates (or, for the key talents and the graph, from tags and dimensions
    rebuilt with them), so they cannot change before the next refresh, and a
    refresh makes every older entry unreachable.
    """
    stamp = chain.facts_refreshed_at.timestamp() if chain.facts_refreshed_at else 0
    key = (
        f"nav:landscape:{chain.pk}:{stamp}:{scope.code}:{years.start}-{years.end}:"
        f"{node.pk if node else '-'}"
    )

    def compute() -> dict:
        return {
            "overview": chain_overview(chain=chain, scope=scope, years=years),
            "trend": node_trend(chain=chain, node=node, scope=scope, years=years),
            "parts": node_breakdowns(chain=chain, node=node, scope=scope, years=years),
            "applicants": top_applicants(chain=chain, node=node, scope=scope),
            "technologies": key_technologies(chain=chain, node=node, scope=scope),
            "inventors": key_inventors(chain=chain, node=node, scope=scope),
            "graph": resource_graph(chain=chain, scope=scope),
        }

    return cache.get_or_set(key, compute, timeout=7 * 24 * 3600)


def landscape_warm(*, chain: IndustryChain) -> int:
    """Precompute the default pages (Shandong, default years, the chain and each
    node) right after a refresh, so staff never wait for them."""
    chain.refresh_from_db(fields=["facts_refreshed_at"])
    scope = region_scope(code=DEFAULT_REGION)
    years = default_years()
    nodes = [None, *chain.nodes.all()]
    for node in nodes:
        landscape_data(chain=chain, scope=scope, years=years, node=node)
    return len(nodes)
