"""Expert finding from a technology need (need → experts → profile), and the link to it
from matching's staff page (matching does not import talent: a URL name only)."""

import ast
import itertools
from pathlib import Path

import pytest
from django.urls import reverse

from matching.models import TechNeed
from talent.models import TalentLink
from talent.selectors import experts_for_need
from talent.services import talents_resolve
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(nvidia_patents):
    talents_resolve()
    return TechNeed.objects.create(
        organization=OrganizationFactory(kind="enterprise"),
        title="Neural network inference on graphics processors",
        description="We need a way to run neural network inference faster on GPUs.",
        industry="electrical",
        cooperation_mode="talent",
        contact_name="王",
        contact_mobile="13800138000",
        status=TechNeed.Status.PUBLISHED,
    )


def test_experts_for_a_need_are_ranked_with_reasons_and_their_patents(need):
    hits = experts_for_need(need=need)
    assert hits
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    for hit in hits[:5]:
        assert hit.reasons
        linked = set(
            TalentLink.objects.filter(talent=hit.talent).values_list(
                "mention__patent_id", flat=True
            )
        )
        assert {pk for _n, _t, pk in hit.patents} <= linked
    assert experts_for_need(need=need, region="shandong") == []  # NVIDIA inventors: US


def test_need_staff_page_links_to_its_experts_and_the_page_is_staff_only(
    need, client, staff_user, plain_user
):
    url = reverse("talent:need_experts", args=[need.pk])
    client.force_login(staff_user)
    page = client.get(reverse("matching:need_staff_detail", args=[need.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response.context["hits"]
    first = response.context["hits"][0].talent
    assert reverse("talent:profile", args=[first.pk]) in response.content.decode()
    # An unknown region is ignored with the form's error, never a 500.
    response = client.get(url, {"region": "mars"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("talent:need_experts", args=[999999])).status_code == 404
    client.force_login(plain_user)
    assert client.get(url).status_code == 403


def test_matching_never_imports_talent():
    root = Path(__file__).resolve().parents[2] / "matching"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "talent" for n in names), path
