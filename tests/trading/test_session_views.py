"""Session pages (issue 23): bad input answers a clear Chinese message, never a
500; sealed tenders stay sealed to the public; the live state is public JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory
from trading.models import Bid, Listing, TradingSession
from trading.services import listing_create

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    holder = university(name="山东大学")
    listing = listing_create(
        holder=holder,
        title="驱鸟装置转让",
        subject="patent",
        purpose="transfer",
        patents=[granted_patent(holder=holder)],
        asking_price=500000,
    )
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.LISTED)
    now = timezone.now()
    return TradingSession.objects.create(
        listing=listing,
        mode=TradingSession.Mode.BIDDING,
        status=TradingSession.Status.ANNOUNCED,
        rules={"deposit_required": True, "extension_window_minutes": 5, "extension_minutes": 5},
        starting_price=100000,
        increment=1000,
        deposit_amount=10000,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(minutes=30),
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_bid_bad_input_answers_in_chinese(client, session):
    user = UserFactory(username="bidder")
    client.force_login(user)
    response = client.post(f"/trading/sessions/{session.pk}/bid/", {"amount": "1"}, follow=True)
    assert "您的账号未关联任何单位，无法出价。" in _messages(response)
    UserProfile.objects.create(user=user, organization=enterprise())
    response = client.post(f"/trading/sessions/{session.pk}/bid/", {"amount": "十万"}, follow=True)
    assert response.status_code == 200 and any(
        "请输入一个数字" in m or "数字" in m for m in _messages(response)
    )
    response = client.post(
        f"/trading/sessions/{session.pk}/bid/", {"amount": "100000"}, follow=True
    )
    assert "保证金到账后方可出价。" in _messages(response)
    assert Bid.objects.filter(status=Bid.Status.REFUSED).count() == 1


def test_anonymous_cannot_bid_but_sees_live_state(client, session):
    response = client.post(f"/trading/sessions/{session.pk}/bid/", {"amount": "100000"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    live = client.get(f"/trading/sessions/{session.pk}/live/").json()
    assert live["open"] is True and live["minimum_next"] == "100000.00"
    assert 0 < live["seconds_left"] <= 30 * 60
    assert client.get(f"/trading/sessions/{session.pk}/").status_code == 200


def test_open_form_refusal_is_shown_on_the_form(client, session):
    client.force_login(UserFactory(username="staff", roles=[Role.STAFF]))
    TradingSession.objects.filter(pk=session.pk).update(status=TradingSession.Status.CANCELLED)
    response = client.post(
        f"/trading/listings/{session.listing_id}/sessions/new/",
        {"mode": "agreed", "agreed_price": "480000", "counterparty": "不存在的公司"},
    )
    assert response.status_code == 200
    assert "不存在的公司" in response.content.decode()
    response = client.post(
        f"/trading/listings/{session.listing_id}/sessions/new/",
        {"mode": "bidding", "starting_price": "100000", "deposit_amount": "10000"},
    )
    assert "请填写竞价开始时间。" in response.content.decode()


def test_sealed_tenders_hidden_from_the_public(client, session):
    bidder = enterprise()
    TradingSession.objects.filter(pk=session.pk).update(mode=TradingSession.Mode.TENDER)
    Bid.objects.create(
        session=session, bidder=bidder, amount=345678, status=Bid.Status.ACCEPTED, sequence=1
    )
    page = client.get(f"/trading/sessions/{session.pk}/").content.decode()
    assert "345678" not in page
    assert client.get(f"/trading/sessions/{session.pk}/live/").json()["current_price"] is None
