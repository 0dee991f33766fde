"""The needs section of the feed, and fetching a partner's feed over HTTP
(a fake requests transport: no network)."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from matching.models import TechNeed
from tests.factories import OrganizationFactory, UserFactory
from trading.models import Deal, Listing, PartnerImportRun, PartnerMarket
from trading.selectors import partner_markets_connected
from trading.services.partner_fetch import partner_feed_fetch, partner_feeds_fetch_all

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db


class FakeTransport(requests.adapters.BaseAdapter):
    """Answers requests from a table of (path → callable(request) → (status, body))."""

    def __init__(self, routes):
        super().__init__()
        self.routes = routes
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):
        self.requests.append(request)
        self.last_timeout = kwargs.get("timeout")
        handler = self.routes.get(urlsplit(request.url).path)
        if handler is None:
            status, body = 404, {"detail": "Not found."}
        else:
            result = handler(request)
            if isinstance(result, Exception):
                raise result
            status, body = result
        response = requests.Response()
        response.status_code = status
        response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def _session(routes):
    transport = FakeTransport(routes)
    session = requests.Session()
    session.mount("https://", transport)
    session.mount("http://", transport)
    return session, transport


def _partner_listing(number, patent, title="风电叶片除冰装置 专利许可"):
    return {
        "source": "zhengzhou-market",
        "number": number,
        "title": title,
        "subject": "patent",
        "purpose": "licence",
        "status": "listed",
        "asking_price": "300000.00",
        "terms": "",
        "description": "",
        "holder": {"name": "郑州大学", "uscc": "", "kind": "university"},
        "patents": [patent.publication_number],
        "listed_at": "2026-10-01T09:00:00+08:00",
    }


@pytest.fixture
def market():
    return PartnerMarket.objects.create(
        code="zhengzhou-market",
        name="郑州技术交易市场",
        feed_url="https://feed.zz.example/api/v1/",
        feed_token="partner-secret",
    )


@pytest.fixture
def patent():
    return granted_patent(holder=university(name="郑州大学"))


def _paged(pages):
    """A cursor-paginated endpoint over ``pages`` (lists of items)."""

    def handler(request):
        query = parse_qs(urlsplit(request.url).query)
        index = int(query.get("cursor", ["0"])[0])
        base = request.url.split("?")[0]
        nxt = f"{base}?cursor={index + 1}" if index + 1 < len(pages) else None
        return 200, {"next": nxt, "previous": None, "results": pages[index]}

    return handler


def test_fetch_follows_pages_sends_token_and_is_idempotent(market, patent):
    routes = {
        "/api/v1/trading/feed/listings/": _paged(
            [[_partner_listing("ZZ-1", patent)], [_partner_listing("ZZ-2", patent)]]
        ),
        "/api/v1/trading/feed/deals/": _paged([[]]),
    }
    session, transport = _session(routes)
    run = partner_feed_fetch(market=market, session=session)
    assert (run.created, run.errors) == (2, [])
    assert Listing.objects.filter(external_source="zhengzhou-market").count() == 2
    first = transport.requests[0]
    assert first.headers["Authorization"] == "Token partner-secret"
    assert "since" not in first.url and "page_size=500" in first.url
    assert transport.last_timeout is not None
    market.refresh_from_db()
    assert market.fetched_until is not None and market.last_fetch_error == ""
    assert market in partner_markets_connected()

    again = partner_feed_fetch(market=market, session=session)
    assert (again.created, again.unchanged) == (0, 2)
    assert Listing.objects.filter(external_source="zhengzhou-market").count() == 2
    assert "since=" in transport.requests[-1].url  # asks only for changes now


def test_errors_are_recorded_per_partner_and_do_not_stop_others(market, patent):
    other = PartnerMarket.objects.create(
        code="xian-market", name="西安科技大市场", feed_url="https://feed.xa.example/api/v1/"
    )
    calls = {"n": 0}

    def flaky_listings(request):
        calls["n"] += 1
        if "feed.zz.example" in request.url:
            return requests.ConnectTimeout("connect timed out")
        return 200, {
            "next": None,
            "results": [_partner_listing("XA-1", patent) | {"source": "xian-market"}],
        }

    routes = {
        "/api/v1/trading/feed/listings/": flaky_listings,
        "/api/v1/trading/feed/deals/": lambda r: (503, b"<html>busy</html>"),
    }
    session, _transport = _session(routes)
    runs = partner_feeds_fetch_all(session=session)
    assert set(runs) == {"zhengzhou-market", "xian-market"}
    market.refresh_from_db()
    other.refresh_from_db()
    assert "timed out" in market.last_fetch_error and "HTTP 503" in market.last_fetch_error
    assert market.fetched_until is None and market.last_import_at is None  # nothing read
    assert "HTTP 503" in other.last_fetch_error and other.fetched_until is None
    assert Listing.objects.filter(external_source="xian-market").count() == 1
    reasons = [e["reason"] for e in PartnerImportRun.objects.get(pk=runs["xian-market"]).errors]
    assert any("HTTP 503" in r for r in reasons)


def test_bad_json_and_foreign_next_link_are_refused(market, patent):
    routes = {
        "/api/v1/trading/feed/listings/": lambda r: (
            200,
            {"next": "https://evil.example/steal", "results": [_partner_listing("ZZ-9", patent)]},
        ),
        "/api/v1/trading/feed/deals/": lambda r: (200, b"not json"),
    }
    session, transport = _session(routes)
    run = partner_feed_fetch(market=market, session=session)
    reasons = " ".join(e["reason"] for e in run.errors)
    assert "not on the partner's host" in reasons and "did not answer JSON" in reasons
    assert all("evil.example" not in r.url for r in transport.requests)


def test_a_market_without_url_is_reported_not_fetched():
    market = PartnerMarket.objects.create(code="no-url", name="无地址市场")
    run = partner_feed_fetch(market=market, session=_session({})[0])
    assert run.errors[0]["reason"] == "no feed URL is configured"


def test_command_runs_one_market(market, patent, monkeypatch, capsys):
    routes = {
        "/api/v1/trading/feed/listings/": _paged([[_partner_listing("ZZ-1", patent)]]),
        "/api/v1/trading/feed/deals/": _paged([[]]),
    }
    session, _ = _session(routes)
    monkeypatch.setattr("trading.services.partner_fetch.requests.Session", lambda: session)
    call_command("trading_partner_fetch", "--market", "zhengzhou-market")
    assert "created 1" in capsys.readouterr().out


@pytest.fixture
def api():
    client = APIClient()
    token = Token.objects.create(user=UserFactory(username="partner-bot", roles=["api_partner"]))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _need(org, status, **kwargs):
    return TechNeed.objects.create(
        organization=org,
        title="输电线路驱鸟装置",
        description="高压输电线路鸟类筑巢造成跳闸，寻求驱鸟保护装置。",
        industry="electrical",
        cooperation_mode="licence",
        contact_name="张伟",
        contact_mobile="13800138000",
        status=status,
        **kwargs,
    )


def test_needs_feed_shares_published_needs_without_personal_data(api):
    firm = enterprise(name="山东黄河河务局供水局")
    published = _need(firm, TechNeed.Status.PUBLISHED, published_at=timezone.now())
    _need(firm, TechNeed.Status.SUBMITTED)
    _need(firm, TechNeed.Status.REJECTED)
    person = OrganizationFactory(name="李明", kind="individual")
    _need(person, TechNeed.Status.PUBLISHED, published_at=timezone.now())
    assert APIClient().get("/api/v1/trading/feed/needs/").status_code == 401
    body = api.get("/api/v1/trading/feed/needs/").json()
    items = body["results"]
    assert len(items) == 2
    mine = next(i for i in items if i["number"] == f"N{published.pk}")
    assert mine["source"] == "yellow-river-hub"
    assert mine["organization"]["name"] == "山东黄河河务局供水局"
    text = json.dumps(body, ensure_ascii=False)
    assert "13800138000" not in text and "张伟" not in text and "李明" not in text
    later = api.get(
        "/api/v1/trading/feed/needs/",
        {"since": (timezone.now() + dt.timedelta(hours=1)).isoformat()},
    )
    assert later.json()["results"] == []
    assert api.get("/api/v1/trading/feed/needs/", {"since": "soon"}).status_code == 400


def test_hub_feed_round_trip_over_http_creates_nothing(api, market):
    """Our own feed fetched back (as a partner would serve it) duplicates nothing."""
    from trading.services import deal_create

    holder = university(name="山东大学")
    own_patent = granted_patent(holder=holder)
    deal_create(
        kind="transfer",
        assignor=holder,
        assignee=enterprise(),
        patents=[own_patent],
        amount=750000,
        status="signed",
        signed_on=dt.date(2026, 11, 2),
    )

    def from_our_api(request):
        path = urlsplit(request.url).path
        response = api.get(path, parse_qs(urlsplit(request.url).query))
        return response.status_code, response.json()

    routes = {
        "/api/v1/trading/feed/listings/": from_our_api,
        "/api/v1/trading/feed/deals/": from_our_api,
    }
    session, _ = _session(routes)
    before = Deal.objects.count()
    run = partner_feed_fetch(market=market, session=session)
    assert run.errors == [] and run.created == 0 and run.unchanged == 1
    assert Deal.objects.count() == before


@pytest.mark.django_db
def test_admin_never_shows_the_partner_token_and_empty_keeps_it(client, market):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root", "root@example.cn", "x-Pw-12345")
    client.force_login(admin_user)
    url = f"/admin/trading/partnermarket/{market.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"partner-secret" not in page.content

    form = {
        "code": market.code,
        "name": market.name,
        "feed_url": market.feed_url,
        "feed_token": "",
        "active": "on",
    }
    assert client.post(url, form).status_code == 302
    market.refresh_from_db()
    assert market.feed_token == "partner-secret"

    assert client.post(url, {**form, "feed_token": "rotated-secret"}).status_code == 302
    market.refresh_from_db()
    assert market.feed_token == "rotated-secret"

    assert client.post(url, {**form, "clear_feed_token": "on"}).status_code == 302
    market.refresh_from_db()
    assert market.feed_token == ""
