from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliances.models import Alliance, PatentPool
from alliances.selectors import pool_coverage
from alliances.services import alliance_member_add, pool_licence_grant, pool_patent_contribute
from operations_center.services.facts import navigation_facts_refresh
from operations_center.services.tagging import chain_tag
from portal.roles import Role
from tests.factories import UserFactory
from tests.operations_center.conftest import *  # noqa: F403 (chain and landscape fixtures)

pytestmark = pytest.mark.django_db


def test_pool_coverage_gaps_and_candidates(client, nev_chain, landscape):
    chain_tag(chain=nev_chain, full=True)
    navigation_facts_refresh(chain=nev_chain)
    alliance = Alliance.objects.create(name="新能源汽车产业知识产权联盟", chain=nev_chain)
    alliance_member_add(alliance=alliance, organization=landscape["sdu"], role="chair")
    pool = PatentPool.objects.create(alliance=alliance, name="动力电池专利池")
    battery_patent = landscape["patents"][0]
    pool_patent_contribute(pool=pool, patent=battery_patent, contributor=landscape["sdu"])
    with pytest.raises(ValidationError):  # not a member
        pool_patent_contribute(
            pool=pool, patent=landscape["patents"][2], contributor=landscape["weichai"]
        )
    with pytest.raises(ValidationError):  # a member, but not the holder
        pool_patent_contribute(
            pool=pool, patent=landscape["patents"][3], contributor=landscape["sdu"]
        )
    coverage = {c.node.key: c for c in pool_coverage(pool=pool)}
    assert coverage["nev-battery"].pool_patents == 1 and not coverage["nev-battery"].is_gap
    motor = coverage["nev-motor"]
    assert motor.is_gap
    assert [c["organization__name"] for c in motor.candidates] == ["潍柴动力股份有限公司"]
    licence = pool_licence_grant(
        pool=pool, licensee=landscape["seu"], royalty=None, signed_on=dt.date(2024, 5, 1)
    )
    assert licence.status == "signed"
    client.force_login(UserFactory(roles=[Role.STAFF]))
    html = client.get(reverse("alliances:detail", args=[alliance.pk])).content.decode()
    assert "动力电池专利池" in html
    html = client.get(reverse("alliances:pool", args=[pool.pk])).content.decode()
    assert "动力电池专利池" in html and "缺口" in html
