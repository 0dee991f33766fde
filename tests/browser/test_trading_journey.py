"""Trading hub journey in a real browser: list → review → public notice →
objection → public listing → valuation both ways → deal with settlement
milestones → the deal shared through the partner feed and imported back
without duplicates."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory
from tests.trading.factories import enterprise, granted_patent, university
from trading.models import Deal, Listing, PartnerMarket
from trading.services.partner import partner_feed_import
from trading.services.valuation import value_indicators_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    _submit(page, "main form button[type=submit]")


def _logout(page):
    _submit(page, "form[action='/accounts/logout/'] button")


def test_listing_through_public_notice_to_deal_with_milestones(page):
    # Earlier live-server tests flush every table, the migration-seeded indicators too.
    value_indicators_seed()
    holder = university(name="山东大学")
    buyer = enterprise(name="山东黄河河务局供水局")
    patent = granted_patent(holder=holder)
    UserProfile.objects.create(user=UserFactory(username="holder"), organization=holder)
    UserFactory(username="staff", roles=[Role.STAFF])

    _login(page, "holder")
    page.goto("/trading/listings/new/")
    page.fill("#id_title", "一种水电站高压输电线路驱鸟保护装置 专利转让")
    page.select_option("#id_subject", "patent")
    page.select_option("#id_purpose", "transfer")
    page.fill("#id_patents", patent.publication_number)
    page.fill("#id_asking_price", "500000")
    _submit(page, "main form button[type=submit]")
    _submit(page, "button:has-text('提交审核')")
    assert page.inner_text("#listing-status") == "待审核"
    _logout(page)

    _login(page, "staff")
    listing = Listing.objects.get()
    page.goto(f"/trading/listings/{listing.pk}/")
    page.select_option("select[name=decision]", "approve")
    _submit(page, "button:has-text('提交审核意见')")
    assert page.inner_text("#listing-status") == "公示中"
    # Going public during the notice is refused.
    _submit(page, "button:has-text('公开挂牌')")
    assert "公示期满后方可公开挂牌" in page.inner_text(".messages")

    page.fill("#id_objector_name", "李明")
    page.fill("#id_reason", "该专利存在共有人，需核实其是否同意转让。")
    _submit(page, "button:has-text('提交异议')")
    page.fill("#id_resolution", "共有人书面同意已提交，异议不成立。")
    _submit(page, "button:has-text('处理')")

    # The notice period elapses.
    Listing.objects.filter(pk=listing.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    page.reload()
    _submit(page, "button:has-text('公开挂牌')")
    assert page.inner_text("#listing-status") == "挂牌中"
    assert "已驳回" in page.inner_text("main")  # the dismissed objection stays on record

    # Value it both ways: the indicator score is shown; the income approach is stored.
    score = page.inner_text(".score")
    assert 0 < float(score) <= 100
    page.fill("#id_revenue_forecast", "1000000, 1200000, 1500000")
    page.fill("#id_royalty_share", "0.25")
    page.fill("#id_discount_rate", "0.12")
    page.fill("#id_remaining_years", "3")
    _submit(page, "button:has-text('计算并保存')")
    assert "收益法评估结果已保存" in page.inner_text(".messages")
    stored = page.inner_text(".income-value")
    assert float(stored.replace(",", "")) > 0

    _submit(page, "a:has-text('登记该项目的交易')")
    assert page.input_value("#id_assignor") == "山东大学"
    page.fill("#id_assignee", buyer.name)
    _submit(page, "main form button[type=submit]")
    assert page.inner_text("#deal-status") == "草稿"
    page.fill("#id_signed_on", "2026-11-20")
    page.fill("#id_contract_number", "HT-2026-001")
    _submit(page, "button:has-text('签订')")
    assert page.inner_text("#deal-status") == "已签订"

    page.select_option("#id_kind", "deposit")
    page.fill("#id_amount", "100000")
    _submit(page, "button:has-text('添加结算节点')")
    page.select_option("#id_kind", "final_payment")
    page.fill("#id_amount", "400000")
    _submit(page, "button:has-text('添加结算节点')")
    page.locator("#milestones input[name=paid_on]").first.fill("2026-11-25")
    _submit(page, "#milestones button:has-text('标记已付')")
    _submit(page, "button:has-text('确认收款')")
    statuses = page.locator("#milestones .milestone-status").all_inner_texts()
    assert statuses[0].startswith("收款方已确认") and statuses[1] == "待付款"
    # Scheduling more than the deal amount is refused.
    page.select_option("#id_kind", "instalment")
    page.fill("#id_amount", "1")
    _submit(page, "button:has-text('添加结算节点')")
    assert "尾款节点已存在" in page.inner_text(".messages")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED

    # Share it through the feed and import it back: nothing is duplicated.
    token = Token.objects.create(user=UserFactory(username="partner-bot", roles=["api_partner"]))
    feed = page.request.get(
        "/api/v1/trading/feed/deals/", headers={"Authorization": f"Token {token.key}"}
    )
    assert feed.ok
    items = feed.json()["results"]
    # One deal, shared without its contract number (docs/trading-feed.md: partners
    # never receive contract numbers).
    assert [i["contract_number"] for i in items] == [""]
    listings = page.request.get(
        "/api/v1/trading/feed/listings/", headers={"Authorization": f"Token {token.key}"}
    ).json()["results"]
    market = PartnerMarket.objects.create(code="round-trip", name="回环测试")
    run = partner_feed_import(market=market, payload={"deals": items, "listings": listings})
    assert run.created == 0 and run.errors == [] and run.unchanged == 2
    assert Deal.objects.count() == 1 and Listing.objects.count() == 1
    # A partner re-publishing the same deal under its own source is deduplicated too.
    foreign = [i | {"source": "round-trip", "number": "RT-1"} for i in items]
    partner_feed_import(market=market, payload={"deals": foreign})
    partner_feed_import(market=market, payload={"deals": foreign})
    assert Deal.objects.filter(external_source="round-trip").count() == 1
