from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from operations_center.models import ChainNode, IndustryChain, PatentNodeTag
from operations_center.selectors.navigation import (
    PatentFilter,
    Years,
    region_scope,
    tagged_patents,
)
from operations_center.services.chains import chain_export
from operations_center.services.facts import navigation_facts_refresh
from operations_center.services.tagging import chain_tag
from portal.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF]))
    return client


def test_landscape_shows_overview_and_counts_link_to_their_patents(
    staff_client, nev_chain, landscape
):
    chain_tag(chain=nev_chain, full=True)
    navigation_facts_refresh(chain=nev_chain)
    page = staff_client.get(
        reverse("operations_center:chain", args=[nev_chain.slug]),
        {"region": "370000", "year_from": 2015, "year_to": 2024},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "强弱环节" in html and "显示性技术优势" in html
    row = re.search(
        r'data-node="nev-battery".*?class="region-count" href="([^"]+)">(\d+)<', html, re.S
    )
    url, shown = row.group(1).replace("&amp;", "&"), int(row.group(2))
    listed = staff_client.get(url)
    assert listed.context["page"].total == shown == 3
    assert [p.pk for p in listed.context["page"].patents] == sorted(
        tagged_patents(
            chain=nev_chain,
            flt=PatentFilter(
                node=ChainNode.objects.get(key="nev-battery"),
                scope=region_scope(code="370000"),
                years=Years(2015, 2024),
            ),
        ).values_list("id", flat=True),
        reverse=True,
    )
    # The reason of each tag, as a sentence naming the node.
    assert "IPC 分类号 H01M4/525 属于节点“" in listed.content.decode()


def test_bad_filters_do_not_500(staff_client, nev_chain):
    url = reverse("operations_center:chain", args=[nev_chain.slug])
    response = staff_client.get(url, {"region": "999999", "year_from": "abc", "node": "nope"})
    assert response.status_code == 200


def test_tag_review_from_the_list(staff_client, nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    tag = PatentNodeTag.objects.filter(node__key="nev-battery").first()
    response = staff_client.post(
        reverse("operations_center:tag_review", args=[nev_chain.slug, tag.pk]),
        {"status": "rejected", "next": "//evil.example/"},
    )
    tag.refresh_from_db()
    assert tag.status == "rejected"
    assert response["Location"] == reverse("operations_center:patents", args=[nev_chain.slug])


def test_import_reports_each_problem_and_export_round_trips(staff_client, nev_chain):
    url = reverse("operations_center:chains")
    bad = {
        "slug": "x",
        "name": "测试",
        "nodes": [{"key": "a", "name": "", "stage": "top", "ipc_codes": ["XYZ"]}],
    }
    response = staff_client.post(
        url, {"file": SimpleUploadedFile("c.json", json.dumps(bad).encode())}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("name" in e for e in errors)
    assert any("stage" in e for e in errors)
    assert any("XYZ" in e for e in errors)
    assert not IndustryChain.objects.filter(slug="x").exists()

    exported = staff_client.get(reverse("operations_center:chain_export", args=[nev_chain.slug]))
    data = json.loads(exported.content)
    assert data == chain_export(chain=nev_chain)
    data["slug"] = "nev-copy"
    data["nodes"][0]["children"][0]["ipc_codes"].append("H01M 50/")
    response = staff_client.post(
        url, {"file": SimpleUploadedFile("c.yaml", json.dumps(data, ensure_ascii=False).encode())}
    )
    assert response.status_code == 302
    copy = IndustryChain.objects.get(slug="nev-copy")
    assert copy.nodes.count() == nev_chain.nodes.count()
    assert copy.nodes.get(key="nev-battery").ipc_codes == ["H01M", "H01M50/"]


def test_navigation_pages_are_staff_only(client, nev_chain):
    url = reverse("operations_center:chain", args=[nev_chain.slug])
    client.force_login(UserFactory(roles=[Role.ENTERPRISE]))
    assert client.get(url).status_code == 403


def test_admin_edits_chain_with_nodes_inline(client, nev_chain):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    url = reverse("admin:operations_center_industrychain_change", args=[nev_chain.pk])
    html = client.get(url).content.decode()
    assert "动力电池与燃料电池" in html and "H01M" in html
