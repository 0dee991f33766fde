import datetime as dt

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from openlicense.models import Declaration
from tests.factories import UserFactory
from trading.models import Deal, Listing, PartnerMarket
from trading.selectors import partner_markets_connected
from trading.services import deal_create, listing_create, listing_review, listing_submit
from trading.services.partner import partner_feed_import

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    client = APIClient()
    token = Token.objects.create(user=UserFactory(username="partner-bot", roles=["api_partner"]))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def records():
    holder = university(name="山东大学")
    patent = granted_patent(holder=holder)
    listing = listing_create(
        holder=holder,
        title="驱鸟装置转让",
        subject="patent",
        purpose="transfer",
        patents=[patent],
        asking_price=800000,
    )
    listing_submit(listing=listing)
    listing_review(listing=listing, approve=True)
    deal = deal_create(
        kind="transfer",
        assignor=holder,
        assignee=enterprise(),
        patents=[patent],
        amount=750000,
        status="signed",
        signed_on=dt.date(2026, 11, 2),
    )
    return listing, deal


def test_feed_requires_a_token(records):
    response = APIClient().get("/api/v1/trading/feed/listings/")
    assert response.status_code == 401


def test_feed_is_for_partners_and_staff_and_partner_tokens_stay_in_it(records):
    def client_for(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    # An enterprise account sees only its own records elsewhere: the feed (every
    # organization's deals) is refused with a body that says why.
    refused = client_for(UserFactory(username="ent", roles=["enterprise"])).get(
        "/api/v1/trading/feed/deals/"
    )
    assert refused.status_code == 403 and "partner" in refused.json()["detail"]
    staff = client_for(UserFactory(username="staff", roles=["centre_staff"]))
    assert staff.get("/api/v1/trading/feed/deals/").status_code == 200
    partner = client_for(UserFactory(username="bot", roles=["api_partner"]))
    assert len(partner.get("/api/v1/trading/feed/deals/").json()["results"]) == 1
    assert partner.get("/api/v1/openlicense/feed/items/").status_code == 200
    # ...and the partner token opens nothing outside the feed.
    assert partner.get("/api/v1/patents/?q=驱鸟").status_code == 403


def test_feed_lists_changes_since_and_rejects_bad_timestamp(api, records):
    listing, _deal = records
    body = api.get("/api/v1/trading/feed/listings/").json()
    assert body["results"][0]["number"] == f"L{listing.pk}"
    assert body["results"][0]["holder"]["name"] == "山东大学"
    deals = api.get("/api/v1/trading/feed/deals/").json()["results"]
    assert deals[0]["amount"] == "750000.00" and deals[0]["source"] == "yellow-river-hub"
    later = api.get("/api/v1/trading/feed/deals/", {"since": "2999-01-01T00:00:00Z"}).json()
    assert later["results"] == []
    bad = api.get("/api/v1/trading/feed/deals/", {"since": "yesterday"})
    assert bad.status_code == 400 and "ISO 8601" in bad.json()["errors"]["since"][0]
    # Offsets ISO 8601 allows but PostgreSQL refuses (found by schemathesis) still work.
    far = api.get("/api/v1/trading/feed/deals/", {"since": "1053-04-26T23:28:16.455-19:09"})
    assert far.status_code == 200
    impossible = api.get("/api/v1/trading/feed/deals/", {"since": "2026-02-30T00:00:00Z"})
    assert impossible.status_code == 400
    assert api.get("/api/v2/trading/feed/deals/").status_code == 404

    assert api.get("/api/v1/openlicense/feed/items/").json()["results"] == []


def test_schema_documents_the_feed():
    # The schema as drf-spectacular generates it for v1 (what /api/schema/ serves).
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    path = schema["paths"]["/api/v1/trading/feed/listings/"]
    assert any(p["name"] == "since" for p in path["get"]["parameters"])
    assert "/api/v1/openlicense/feed/items/" in schema["paths"]


def test_import_own_feed_back_creates_nothing_and_partner_items_dedupe(api, records):
    market = PartnerMarket.objects.create(code="jinan-tm", name="济南技术市场")
    own = {
        "listings": api.get("/api/v1/trading/feed/listings/").json()["results"],
        "deals": api.get("/api/v1/trading/feed/deals/").json()["results"],
    }
    run = partner_feed_import(market=market, payload=own)
    assert (run.created, run.unchanged, run.errors) == (0, 2, [])
    assert Listing.objects.count() == 1 and Deal.objects.count() == 1

    partner_patent = granted_patent()
    item = {
        "source": "jinan-tm",
        "number": "JN-2026-007",
        "kind": "licence_ordinary",
        "status": "signed",
        "assignor": {"name": "中国科学院海洋研究所", "kind": "institute"},
        "assignee": {"name": "青岛海尔股份有限公司"},
        "patents": [partner_patent.publication_number],
        "amount": "120000",
        "signed_on": "2026-10-10",
    }
    bad = {**item, "number": "JN-2026-008", "patents": ["CN000000000A"]}
    translation.activate("en")  # the API calls above left the request's Chinese active
    run = partner_feed_import(market=market, payload={"deals": [item, bad, {"number": "x"}]})
    assert run.created == 1
    assert [e["item"] for e in run.errors] == [2, 3]
    assert "unknown patents" in run.errors[0]["reason"]
    again = partner_feed_import(market=market, payload={"deals": [item]})
    assert (again.created, again.unchanged) == (0, 1)
    assert Deal.objects.filter(external_source="jinan-tm").count() == 1
    assert list(partner_markets_connected()) == [market]
    assert Declaration.objects.count() == 0
