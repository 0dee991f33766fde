"""Partner markets' deals and listings are shown beside the hub's own, never summed into
them (issue 15: ``deals_in_period`` had no source filter)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.trading.factories import enterprise, granted_patent, university
from trading.models import Listing
from trading.selectors import deals_in_period, listings_listed_in_period
from trading.services import deal_create

pytestmark = pytest.mark.django_db
YEAR = {"start": dt.date(2026, 1, 1), "end": dt.date(2027, 1, 1)}


def test_deals_split_by_origin_and_evidence():
    sdu, firm = university(name="山东大学"), enterprise(name="浪潮集团有限公司")

    def deal(**kw):
        return deal_create(
            kind="transfer",
            assignor=sdu,
            assignee=firm,
            patents=[granted_patent(holder=sdu)],
            amount=1000,
            status="recorded",
            signed_on=dt.date(2026, 3, 1),
            **kw,
        )

    own = deal(recordal_number="2026370000001")
    partner = deal(
        recordal_number="2026410000002",
        external_source="zhengzhou-tech-market",
        external_number="ZZ-1",
    )
    assert set(deals_in_period(**YEAR)) == {own, partner}  # all, for other callers
    assert list(deals_in_period(**YEAR, origin="own")) == [own]
    assert list(deals_in_period(**YEAR, origin="imported")) == [partner]
    unevidenced = deal_create(
        kind="transfer",
        assignor=sdu,
        assignee=firm,
        patents=[granted_patent(holder=sdu)],
        amount=1000,
        status="signed",
        signed_on=dt.date(2026, 4, 1),
    )
    assert unevidenced not in deals_in_period(**YEAR, origin="own", evidenced=True)
    assert own in deals_in_period(**YEAR, origin="own", evidenced=True)


def test_listings_split_by_origin():
    holder = university(name="山东大学")
    now = timezone.now()
    own = Listing.objects.create(
        title="本所挂牌", subject="patent", purpose="transfer", holder=holder, listed_at=now
    )
    imported = Listing.objects.create(
        title="合作市场挂牌",
        subject="patent",
        purpose="transfer",
        holder=holder,
        listed_at=now,
        external_source="zhengzhou-tech-market",
        external_number="ZZ-L-1",
    )
    today = timezone.localdate()
    period = {"start": today, "end": today + dt.timedelta(days=1)}
    assert list(listings_listed_in_period(**period, origin="own")) == [own]
    assert list(listings_listed_in_period(**period, origin="imported")) == [imported]
