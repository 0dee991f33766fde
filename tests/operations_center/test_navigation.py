"""Every figure the navigation pages show equals a direct query for its patents."""

from __future__ import annotations

import pytest

from operations_center.models import ChainNode
from operations_center.selectors.navigation import (
    PatentFilter,
    Years,
    chain_overview,
    node_breakdowns,
    node_trend,
    region_scope,
    resource_graph,
    tagged_patents,
    top_applicants,
)
from operations_center.services.facts import navigation_facts_refresh
from operations_center.services.tagging import chain_tag

pytestmark = pytest.mark.django_db

YEARS = Years(2015, 2024)


@pytest.fixture
def refreshed(nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    navigation_facts_refresh(chain=nev_chain)
    return nev_chain


def test_overview_counts_and_rta_match_direct_queries(refreshed, landscape):
    sd = region_scope(code="370000")
    rows = {r.node.key: r for r in chain_overview(chain=refreshed, scope=sd, years=YEARS)}
    battery = rows["nev-battery"]
    node = battery.node
    direct = tagged_patents(chain=refreshed, flt=PatentFilter(node=node, scope=sd, years=YEARS))
    assert battery.region == direct.count() == 3
    assert (
        battery.national
        == tagged_patents(
            chain=refreshed, flt=PatentFilter(node=node, national=True, years=YEARS)
        ).count()
    )
    # Shandong: 5 of 7 patents overall, 3 of 3 battery patents → RTA = 1 / (5/7) = 1.4.
    assert battery.rta == pytest.approx((3 / 5) / (3 / 7))
    assert battery.verdict == "strong"
    assert (
        battery.valid_inventions
        == tagged_patents(
            chain=refreshed,
            flt=PatentFilter(node=node, scope=sd, years=YEARS, valid_inventions=True),
        ).count()
        == 2
    )
    # Jiangsu holds the only charging patent → a weak link for Shandong.
    assert rows["nev-charging"].region == 0
    assert rows["nev-charging"].verdict == "weak"
    # The upstream stage counts its segments' patents once each.
    upstream = rows["nev-upstream"]
    assert (
        upstream.region
        == tagged_patents(
            chain=refreshed, flt=PatentFilter(node=upstream.node, scope=sd, years=YEARS)
        ).count()
        == 4
    )


def test_trend_and_breakdowns_match_direct_queries(refreshed):
    sd = region_scope(code="370000")
    node = ChainNode.objects.get(key="nev-upstream")
    for point in node_trend(chain=refreshed, node=node, scope=sd, years=YEARS):
        assert (
            point["region"]
            == tagged_patents(
                chain=refreshed, flt=PatentFilter(node=node, scope=sd, year=point["year"])
            ).count()
        )
    parts = node_breakdowns(chain=refreshed, node=node, scope=sd, years=YEARS)
    for city, _name, n in parts["city"]:
        assert (
            n
            == tagged_patents(
                chain=refreshed, flt=PatentFilter(node=node, scope=sd, years=YEARS, city=city)
            ).count()
        )
    assert dict((k, n) for k, _l, n in parts["applicant_kind"]) == {
        "enterprise": 3,
        "university": 1,
    }
    for ptype, _label, n in parts["patent_type"]:
        assert (
            n
            == tagged_patents(
                chain=refreshed,
                flt=PatentFilter(node=node, scope=sd, years=YEARS, patent_type=ptype),
            ).count()
        )
    for subclass, _title, n in parts["ipc"]:
        assert (
            n
            == tagged_patents(
                chain=refreshed, flt=PatentFilter(node=node, scope=sd, subclass=subclass)
            ).count()
        )


def test_city_scope_and_top_applicants(refreshed, landscape):
    qd = region_scope(code="370200")
    node = ChainNode.objects.get(key="nev-upstream")
    applicants = top_applicants(chain=refreshed, node=node, scope=qd)
    assert [a["name"] for a in applicants] == ["潍柴动力股份有限公司"]
    assert (
        applicants[0]["patents"]
        == tagged_patents(
            chain=refreshed,
            flt=PatentFilter(node=node, scope=qd, organization_id=landscape["weichai"].pk),
        ).count()
        == 3
    )


def test_resource_graph_links_co_applicants(refreshed, landscape):
    graph = resource_graph(chain=refreshed, scope=region_scope(code="370000"))
    names = {n["name"] for n in graph["nodes"]}
    assert {"山东大学", "潍柴动力股份有限公司", "动力电池与燃料电池"} <= names
    co = [link for link in graph["links"] if link["kind"] == "co"]
    assert co == [
        {
            "source": f"o{min(landscape['sdu'].pk, landscape['weichai'].pk)}",
            "target": f"o{max(landscape['sdu'].pk, landscape['weichai'].pk)}",
            "value": 1,
            "kind": "co",
        }
    ]


def test_drill_through_page_counts_from_aggregates_and_pages_by_keyset(refreshed, landscape):
    from operations_center.selectors.navigation import tagged_patents_page

    sd = region_scope(code="370000")
    battery = refreshed.nodes.get(key="nev-battery")
    filters = [
        PatentFilter(node=battery, scope=sd, years=YEARS),
        PatentFilter(node=battery, national=True, years=YEARS),
        PatentFilter(node=None, scope=sd, years=YEARS, valid_inventions=True),
        PatentFilter(node=battery, scope=sd, subclass="H01M"),
        PatentFilter(node=None, scope=sd, applicant_kind="university"),
    ]
    for flt in filters:
        direct = tagged_patents(chain=refreshed, flt=flt)
        first = tagged_patents_page(chain=refreshed, flt=flt, size=1)
        assert first.total_from_aggregates
        assert first.total == direct.count()
        # Walking the pages one patent at a time visits each patent once, newest first.
        seen, page = [], first
        while True:
            seen += [p.pk for p in page.patents]
            if page.next_after is None:
                break
            page = tagged_patents_page(chain=refreshed, flt=flt, after=page.next_after, size=1)
        assert seen == sorted(direct.values_list("id", flat=True), reverse=True)


def test_key_technology_and_talent_lists_match_direct_queries(refreshed, landscape):
    from operations_center.selectors.navigation import key_inventors, key_technologies
    from patents.models import InventorMention
    from tests.factories import InventorMentionFactory

    sd = region_scope(code="370000")
    node = ChainNode.objects.get(key="nev-upstream")
    technologies = key_technologies(chain=refreshed, node=node, scope=sd)
    assert technologies
    for row in technologies:
        assert (
            row["patents"]
            == tagged_patents(
                chain=refreshed, flt=PatentFilter(node=node, scope=sd, subclass=row["subclass"])
            ).count()
        )
    # Inventors (common names as recorded in data/cn_patents_zh style) on two patents.
    for patent in landscape["patents"][:2]:
        InventorMentionFactory(patent=patent, raw_name="王伟", normalized_name="王伟")
    InventorMentionFactory(
        patent=landscape["patents"][0], sequence=1, raw_name="李娜", normalized_name="李娜"
    )
    talents = key_inventors(chain=refreshed, node=node, scope=sd)
    tagged_ids = tagged_patents(chain=refreshed, flt=PatentFilter(node=node, scope=sd)).values("id")
    for row in talents:
        assert (
            row["patents"]
            == InventorMention.objects.filter(normalized_name=row["name"], patent_id__in=tagged_ids)
            .values("patent_id")
            .distinct()
            .count()
        )
    assert talents and talents[0]["patents"] >= talents[-1]["patents"]
