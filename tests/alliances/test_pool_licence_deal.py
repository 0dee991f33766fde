"""Every pool licence is one trading.Deal (kind pool licence), counted once by the KPIs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alliances.models import Alliance, PatentPool, PoolLicence
from alliances.services import (
    alliance_member_add,
    pool_licence_cancel,
    pool_licence_grant,
    pool_licence_link_deal,
    pool_patent_contribute,
)
from patents.models import LegalStatus
from portal.programme import ProgrammeLine
from tests.operations_center.conftest import *  # noqa: F403 (chain and landscape fixtures)
from trading.selectors import deal_patents_in_period, deals_in_period
from trading.services import deal_create

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2024, 1, 1), dt.date(2025, 1, 1))


@pytest.fixture
def pool(nev_chain, landscape):
    alliance = Alliance.objects.create(name="新能源汽车产业知识产权联盟", chain=nev_chain)
    alliance_member_add(alliance=alliance, organization=landscape["sdu"], role="chair")
    pool = PatentPool.objects.create(alliance=alliance, name="动力电池专利池")
    pool_patent_contribute(pool=pool, patent=landscape["patents"][0], contributor=landscape["sdu"])
    return pool


def pool_deals(**kwargs):
    return deals_in_period(start=YEAR[0], end=YEAR[1], kinds=["pool_licence"], **kwargs)


def test_grant_records_one_deal_and_the_kpi_counts_it_once(pool, landscape):
    before_all = deals_in_period(start=YEAR[0], end=YEAR[1]).count()
    licence = pool_licence_grant(
        pool=pool,
        licensee=landscape["seu"],
        royalty=Decimal("120000"),
        signed_on=dt.date(2024, 5, 1),
    )
    deal = licence.deal
    assert deal is not None
    assert (deal.kind, deal.status, deal.assignor, deal.assignee) == (
        "pool_licence",
        "signed",
        landscape["sdu"],  # the chair signs for the pool (no secretariat)
        landscape["seu"],
    )
    assert deal.amount == Decimal("120000")
    assert deal.programme_line == licence.programme_line == ProgrammeLine.INDUSTRY_OPERATIONS
    # The KPI selectors see it exactly once, by the deal.
    assert list(pool_deals()) == [deal]
    assert deals_in_period(start=YEAR[0], end=YEAR[1]).count() == before_all + 1
    assert (
        pool_deals(programme_line=ProgrammeLine.INDUSTRY_OPERATIONS).count()
        == PoolLicence.objects.filter(status="signed", deal__isnull=False).count()
        == 1
    )
    patents = deal_patents_in_period(start=YEAR[0], end=YEAR[1], kinds=["pool_licence"])
    assert [p.patent_id for p in patents] == [landscape["patents"][0].pk]


def test_linking_an_existing_deal_does_not_count_twice(pool, landscape):
    recorded = deal_create(
        kind="pool_licence",
        assignor=landscape["sdu"],
        assignee=landscape["seu"],
        patents=[landscape["patents"][0]],
        status="signed",
        signed_on=dt.date(2024, 6, 1),
        programme_line=ProgrammeLine.INDUSTRY_OPERATIONS,
    )
    licence = PoolLicence.objects.create(pool=pool, licensee=landscape["seu"], status="signed")
    pool_licence_link_deal(licence=licence, deal=recorded)
    licence.refresh_from_db()
    assert licence.deal == recorded and licence.signed_on == dt.date(2024, 6, 1)
    assert pool_deals().count() == 1
    other = PoolLicence.objects.create(pool=pool, licensee=landscape["seu"], status="signed")
    with pytest.raises(ValidationError):  # one deal records one licence
        pool_licence_link_deal(licence=other, deal=recorded)


def test_cancelling_the_licence_cancels_its_deal(pool, landscape):
    licence = pool_licence_grant(
        pool=pool, licensee=landscape["seu"], royalty=None, signed_on=dt.date(2024, 5, 1)
    )
    with pytest.raises(ValidationError):
        pool_licence_cancel(licence=licence, reason=" ")
    pool_licence_cancel(licence=licence, reason="licensee withdrew")
    licence.deal.refresh_from_db()
    assert licence.status == "cancelled" and licence.deal.status == "cancelled"
    assert pool_deals().count() == 0


def test_refusals_leave_no_deal_behind(pool, landscape, nev_chain):
    with pytest.raises(ValidationError):  # the chair cannot license itself
        pool_licence_grant(
            pool=pool, licensee=landscape["sdu"], royalty=None, signed_on=dt.date(2024, 5, 1)
        )
    empty = PatentPool.objects.create(alliance=pool.alliance, name="空池")
    with pytest.raises(ValidationError):  # no patents in the pool
        pool_licence_grant(
            pool=empty, licensee=landscape["seu"], royalty=None, signed_on=dt.date(2024, 5, 1)
        )
    lapsed = landscape["patents"][0]
    lapsed.legal_status = LegalStatus.LAPSED
    lapsed.save()
    with pytest.raises(ValidationError):
        pool_licence_grant(
            pool=pool, licensee=landscape["seu"], royalty=None, signed_on=dt.date(2024, 5, 1)
        )
    leaderless = Alliance.objects.create(name="无秘书处联盟", chain=nev_chain)
    alliance_member_add(alliance=leaderless, organization=landscape["sdu"], role="member")
    orphan_pool = PatentPool.objects.create(alliance=leaderless, name="池")
    with pytest.raises(ValidationError):  # no secretariat or chair to sign
        pool_licence_grant(
            pool=orphan_pool,
            licensee=landscape["seu"],
            royalty=None,
            signed_on=dt.date(2024, 5, 1),
        )
    assert pool_deals().count() == 0 and not PoolLicence.objects.exists()
