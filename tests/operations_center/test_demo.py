from __future__ import annotations

import io

import pytest

from alliances.demo import load_demo as alliances_demo
from alliances.models import Alliance, PoolPatent
from operations_center.demo import load_demo
from operations_center.models import Event, IndustryChain, NodeFact, PatentNodeTag

pytestmark = pytest.mark.django_db


def test_demo_loaders_build_chains_events_and_a_pool(landscape):
    out = io.StringIO()
    load_demo(stdout=out)
    alliances_demo(stdout=out)
    assert set(IndustryChain.objects.values_list("slug", flat=True)) == {
        "new-energy-vehicles",
        "high-end-equipment",
        "new-generation-it",
    }
    assert PatentNodeTag.objects.filter(chain__slug="new-energy-vehicles").exists()
    assert NodeFact.objects.exists()
    assert Event.objects.filter(status="held").count() == 1
    alliance = Alliance.objects.get()
    pooled = PoolPatent.objects.filter(pool__alliance=alliance)
    assert pooled.exists()
    # Every contribution comes from a member that holds the patent.
    for item in pooled:
        assert item.patent.applicant_links.filter(organization=item.contributor).exists()
