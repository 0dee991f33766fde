"""Staff run an alliance, a pool and its licences from the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliances.models import Alliance, AllianceMember, PatentPool, PoolLicence, PoolPatent
from alliances.selectors import pool_analytics
from operations_center.models import PatentNodeTag
from operations_center.services.facts import navigation_facts_refresh
from operations_center.services.tagging import chain_tag
from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory
from tests.operations_center.conftest import *  # noqa: F403 (chain and landscape fixtures)
from trading.selectors import deals_in_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


@pytest.fixture
def tagged(nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    navigation_facts_refresh(chain=nev_chain)
    return nev_chain


def test_staff_run_an_alliance_and_a_pool_from_the_pages(staff_client, tagged, landscape):
    response = staff_client.post(
        reverse("alliances:list"),
        {"name": "新能源汽车产业知识产权联盟", "chain": tagged.pk, "charter": "共建专利池"},
    )
    alliance = Alliance.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "alliances:detail", args=[alliance.pk]
    )
    # A name that is not an organization: a message, no member, no 500.
    response = staff_client.post(
        reverse("alliances:member_add", args=[alliance.pk]),
        {"organization": "不存在的公司", "role": "chair"},
        follow=True,
    )
    assert response.status_code == 200 and "不存在的公司" in response.content.decode()
    assert not AllianceMember.objects.exists()
    staff_client.post(
        reverse("alliances:member_add", args=[alliance.pk]),
        {"organization": "山东大学", "role": "chair"},
    )
    assert AllianceMember.objects.get().organization == landscape["sdu"]
    staff_client.post(
        reverse("alliances:pool_create", args=[alliance.pk]), {"name": "动力电池专利池"}
    )
    pool = PatentPool.objects.get()
    battery = landscape["patents"][0]
    staff_client.post(
        reverse("alliances:contribution_add", args=[pool.pk]),
        {"publication_number": battery.publication_number, "contributor": landscape["sdu"].pk},
    )
    assert PoolPatent.objects.filter(pool=pool, patent=battery).exists()
    response = staff_client.post(
        reverse("alliances:licence_grant", args=[pool.pk]),
        {"licensee": "东南大学", "royalty": "50000", "signed_on": "2024-05-01"},
    )
    licence = PoolLicence.objects.get()
    assert licence.deal is not None and licence.deal.kind == "pool_licence"
    page = staff_client.get(reverse("alliances:pool", args=[pool.pk]))
    html = page.content.decode()
    analytics = page.context["analytics"]
    # The figures shown equal direct queries.
    covered_nodes = (
        PatentNodeTag.objects.filter(
            chain=tagged,
            patent_id__in=pool.contributions.values("patent_id"),
            node__children__isnull=True,
            status__in=("auto", "confirmed"),
        )
        .values("node_id")
        .distinct()
        .count()
    )
    leaves = tagged.nodes.filter(children__isnull=True).count()
    assert analytics.nodes_covered == covered_nodes and analytics.nodes_total == leaves
    assert len(analytics.gaps) == leaves - covered_nodes
    assert analytics.licences_signed == (
        deals_in_period(start=dt.date(2024, 1, 1), end=dt.date(2025, 1, 1), kinds=["pool_licence"])
        .filter(pk=licence.deal_id)
        .count()
    )
    assert f'id="n-covered">{covered_nodes}<' in html and "缺口" in html
    staff_client.post(
        reverse("alliances:licence_cancel", args=[pool.pk, licence.pk]), {"reason": "撤回"}
    )
    licence.refresh_from_db()
    licence.deal.refresh_from_db()
    assert licence.status == licence.deal.status == "cancelled"


def test_pages_are_for_staff_only(client, nev_chain):
    alliance = Alliance.objects.create(name="联盟", chain=nev_chain)
    client.force_login(UserFactory(roles=[]))
    assert client.get(reverse("alliances:detail", args=[alliance.pk])).status_code == 403
    assert client.post(reverse("alliances:list"), {"name": "x"}).status_code == 403


def test_api_runs_a_pool_and_scopes_reads(client, tagged, landscape):
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)
    created = client.post(
        "/api/v1/alliances/",
        {"name": "新能源汽车产业知识产权联盟", "chain": tagged.slug},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    alliance_id = created.json()["id"]
    bad = client.post(
        f"/api/v1/alliances/{alliance_id}/members/",
        {"organization": landscape["sdu"].pk, "role": "boss"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "role" in bad.json()["errors"]
    client.post(
        f"/api/v1/alliances/{alliance_id}/members/",
        {"organization": landscape["sdu"].pk, "role": "chair"},
        content_type="application/json",
    )
    pool = client.post(
        "/api/v1/patent-pools/",
        {"alliance": alliance_id, "name": "动力电池专利池"},
        content_type="application/json",
    ).json()
    refused = client.post(
        f"/api/v1/patent-pools/{pool['id']}/contributions/",
        {"patent": landscape["patents"][2].pk, "contributor": landscape["weichai"].pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "detail" in refused.json()  # not a member
    client.post(
        f"/api/v1/patent-pools/{pool['id']}/contributions/",
        {"patent": landscape["patents"][0].pk, "contributor": landscape["sdu"].pk},
        content_type="application/json",
    )
    licence = client.post(
        f"/api/v1/patent-pools/{pool['id']}/licences/",
        {"licensee": landscape["seu"].pk, "signed_on": "2024-05-01"},
        content_type="application/json",
    )
    assert licence.status_code == 201 and licence.json()["deal"]
    analytics = client.get(f"/api/v1/patent-pools/{pool['id']}/analytics/").json()
    result = pool_analytics(pool=PatentPool.objects.get(pk=pool["id"]))
    assert analytics["nodes_covered"] == result.nodes_covered
    assert analytics["licences_signed"] == 1
    assert client.get(f"/api/v1/patent-pools/{pool['id']}/analytics/?region=x").status_code == 400

    # A user of a member organization reads its alliance but cannot write; others see nothing.
    member_user = UserFactory(roles=[Role.ENTERPRISE])
    UserProfile.objects.update_or_create(
        user=member_user, defaults={"organization": landscape["sdu"]}
    )
    client.force_login(member_user)
    assert [a["id"] for a in client.get("/api/v1/alliances/").json()["results"]] == [alliance_id]
    assert (
        client.post(
            "/api/v1/alliances/",
            {"name": "x", "chain": tagged.slug},
            content_type="application/json",
        ).status_code
        == 403
    )
    outsider = UserFactory(roles=[Role.ENTERPRISE])
    UserProfile.objects.update_or_create(
        user=outsider, defaults={"organization": landscape["weichai"]}
    )
    client.force_login(outsider)
    assert client.get(f"/api/v1/alliances/{alliance_id}/").status_code == 404
    assert client.get("/api/v1/pool-licences/").json()["results"] == []
    # The licensee sees its own licence.
    licensee_user = UserFactory(roles=[Role.ENTERPRISE])
    UserProfile.objects.update_or_create(
        user=licensee_user, defaults={"organization": landscape["seu"]}
    )
    client.force_login(licensee_user)
    assert len(client.get("/api/v1/pool-licences/").json()["results"]) == 1
