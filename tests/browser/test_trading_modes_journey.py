"""Transaction modes in a real browser (issue 23, "Done means"):

* an online bidding from the deposits through the live bidding and the result
  notice to the refunds and the deal;
* a university's agreed transfer with the pre-publication of name and price
  (Law on Promoting the Transformation of Scientific and Technological
  Achievements, art. 18).

Screenshots go to test-results/trading-modes-*.png. Where the journey needs
time to pass (the announcement, the bidding window, the notices) it moves the
dates in the database, as the listing journey does with its public notice.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from portal.models import UserProfile
from portal.roles import Role
from tests.factories import UserFactory
from tests.trading.factories import enterprise, granted_patent, university
from trading.dates import add_working_days
from trading.models import Deposit, Listing, TradingSession
from trading.services import bid_place, listing_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


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


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"trading-modes-{name}.png"), full_page=True)


def _wait_text(page, selector, expected, seconds=20):
    """Wait for the polling script to show ``expected`` (the page is not reloaded)."""
    for _ in range(seconds * 4):
        if page.inner_text(selector) == expected:
            return
        page.wait_for_timeout(250)
    assert page.inner_text(selector) == expected


def _listed(holder):
    listing = listing_create(
        holder=holder,
        title="一种水电站高压输电线路驱鸟保护装置 专利转让",
        subject="patent",
        purpose="transfer",
        patents=[granted_patent(holder=holder)],
        asking_price=500000,
    )
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.LISTED, listed_at=timezone.now()
    )
    return listing


def test_online_bidding_deposit_to_result_notice_and_refunds(page):
    seller = university(name="山东大学")
    first = enterprise(name="济南黄河路桥建设集团有限公司")
    second = enterprise(name="山东黄河河务局供水局")
    listing = _listed(seller)
    UserFactory(username="staff", roles=[Role.STAFF])
    UserProfile.objects.create(user=UserFactory(username="bidder1"), organization=first)

    _login(page, "staff")
    page.goto(f"/trading/listings/{listing.pk}/")
    _submit(page, "a:has-text('发起交易')")
    page.select_option("#id_mode", "bidding")
    page.fill("#id_starting_price", "100000")
    page.fill("#id_increment", "5000")
    page.fill("#id_deposit_amount", "20000")
    # Too early: the announcement (5 working days) has not run.
    page.fill("#id_starts_at", timezone.localdate().isoformat() + "T23:00")
    _submit(page, "button:has-text('发起交易')")
    assert "公告期满后方可开始竞价" in page.inner_text("#form-errors")
    start = add_working_days(timezone.localdate(), 5) + dt.timedelta(days=1)
    page.fill("#id_starts_at", f"{start.isoformat()}T09:00")
    page.fill("#id_bidding_minutes", "60")
    _submit(page, "button:has-text('发起交易')")
    assert page.inner_text("#session-status") == "已公告，接受保证金和出价"
    session = TradingSession.objects.get()

    for org in (first, second):
        page.fill("#deposit-form #id_bidder", org.name)
        page.fill("#deposit-form #id_amount", "20000")
        page.fill("#deposit-form #id_received_on", timezone.localdate().isoformat())
        page.fill("#deposit-form #id_reference", f"BZJ-{org.pk}")
        _submit(page, "button:has-text('登记保证金')")
        assert "竞买人报名成功" in page.inner_text(".messages")
    # A deposit below the rule is refused with the rule's figure.
    page.fill("#deposit-form #id_bidder", seller.name)
    page.fill("#deposit-form #id_amount", "20000")
    page.fill("#deposit-form #id_received_on", timezone.localdate().isoformat())
    _submit(page, "button:has-text('登记保证金')")
    assert "转让方不能报名竞买" in page.inner_text(".messages")
    assert page.locator("#deposits .deposit-status").all_inner_texts() == ["已收取", "已收取"]
    _shot(page, "1-announced-deposits")
    _logout(page)

    # The announcement has run: bidding opens now for ten minutes.
    now = timezone.now()
    TradingSession.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(minutes=1), ends_at=now + dt.timedelta(minutes=10)
    )
    _login(page, "bidder1")
    page.goto(f"/trading/sessions/{session.pk}/")
    assert "您的保证金 20000.00 元已到账" in page.inner_text("main")
    page.fill("#id_amount", "90000")
    _submit(page, "button:has-text('出价')")
    assert "首次出价不得低于起始价" in page.inner_text(".messages")
    page.fill("#id_amount", "100000")
    _submit(page, "button:has-text('出价')")
    assert "您的出价已被接受" in page.inner_text(".messages")
    _wait_text(page, "#current-price", "100,000.00")
    page.fill("#id_amount", "110000")
    _submit(page, "button:has-text('出价')")
    assert "您已是当前最高出价人" in page.inner_text(".messages")
    # Another bidder outbids from elsewhere: the open page follows without a reload.
    bid_place(session=session, bidder=second, amount=120000)
    _wait_text(page, "#current-price", "120,000.00")
    _wait_text(page, "#minimum-next", "125,000.00")
    assert page.inner_text("#accepted-bids") == "2"
    assert page.inner_text("#time-left") not in ("—", "")
    _shot(page, "2-live-bidding")
    _logout(page)

    # The window ends; staff close it and the result notice starts.
    TradingSession.objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _login(page, "staff")
    page.goto(f"/trading/sessions/{session.pk}/")
    _submit(page, "button:has-text('结束竞价')")
    assert page.inner_text("#session-status") == "成交公示"
    assert "竞得人：山东黄河河务局供水局，成交价 120000.00 元" in page.inner_text("#result-notice")
    statuses = page.locator("#deposits .deposit-status").all_inner_texts()
    assert statuses == ["已收取", "竞得人保证金已冻结"]
    _submit(page, "button:has-text('确认成交')")
    assert "公示期满后方可成交" in page.inner_text(".messages")
    _shot(page, "3-result-notice")

    # The loser's deposit is refunded within the rule's deadline.
    loser = Deposit.objects.get(bidder=first)
    assert loser.refund_due_on == add_working_days(timezone.localdate(), 5)
    page.fill("#deposits input[name=refunded_on]", timezone.localdate().isoformat())
    page.fill("#deposits input[name=reference]", "TK-2026-001")
    _submit(page, "button:has-text('登记退款')")
    assert "退款已登记" in page.inner_text(".messages")
    assert page.locator("#deposits .deposit-status").first.inner_text().startswith("已退还")

    # After the result notice the deal is drafted; the deposit is applied to the price.
    TradingSession.objects.filter(pk=session.pk).update(
        result_notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    page.reload()
    _submit(page, "button:has-text('确认成交')")
    assert page.inner_text("#session-status") == "已成交"
    ledger = page.inner_text("#ledger")
    for entry in ("收到保证金", "保证金冻结", "保证金退还", "保证金抵作价款"):
        assert entry in ledger
    recon = page.inner_text("#reconciliation")
    # Sums print as 20000 on SQLite and 20000.00 on PostgreSQL.
    assert re.search(r"已退 20000(\.00)?，", recon) and re.search(r"尚在托管 0(\.00)?。", recon)
    assert "台账与交易结算节点一致" in recon
    _shot(page, "4-refunds-ledger-deal")
    _submit(page, "#session-deal a")
    assert page.inner_text("#deal-status") == "草稿"
    milestones = page.inner_text("#milestones")
    assert "定金\t20000.00" in milestones and "尾款\t100000.00" in milestones


def test_university_agreed_transfer_with_prepublication(page):
    seller = university(name="山东大学")
    buyer = enterprise(name="山东黄河河务局供水局")
    listing = _listed(seller)
    UserFactory(username="staff", roles=[Role.STAFF])

    _login(page, "staff")
    page.goto(f"/trading/listings/{listing.pk}/sessions/new/")
    page.select_option("#id_mode", "agreed")
    page.fill("#id_agreed_price", "480000")
    page.fill("#id_counterparty", buyer.name)
    _submit(page, "button:has-text('发起交易')")
    assert page.inner_text("#session-status") == "名称和价格公示中"
    ends = timezone.localdate() + dt.timedelta(days=14)
    assert page.inner_text("#prepub-price") == "480000.00"
    assert ends.isoformat() in page.inner_text("#prepub-period")
    # Concluding during the pre-publication is refused, citing the law.
    _submit(page, "button:has-text('确认成交')")
    message = page.inner_text(".messages")
    assert "《促进科技成果转化法》第十八条" in message and ends.isoformat() in message
    _shot(page, "5-agreed-prepublication-refused")
    _logout(page)

    # The public sees the name and the proposed price on the listing.
    page.goto(f"/trading/listings/{listing.pk}/")
    sessions = page.inner_text("#sessions")
    assert "协议转让" in sessions and "拟交易价格 480000.00 元" in sessions
    _submit(page, "#sessions a")
    assert page.inner_text("#prepub-name") == listing.title
    _shot(page, "6-agreed-public-view")

    # After the pre-publication, a different price is refused; the published one concludes.
    session = TradingSession.objects.get()
    TradingSession.objects.filter(pk=session.pk).update(
        prepublication_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    _login(page, "staff")
    page.goto(f"/trading/sessions/{session.pk}/")
    page.fill("#id_price", "450000")
    _submit(page, "button:has-text('确认成交')")
    assert "价格变更须重新公示" in page.inner_text(".messages")
    page.fill("#id_price", "480000")
    _submit(page, "button:has-text('确认成交')")
    assert page.inner_text("#session-status") == "已成交"
    _shot(page, "7-agreed-concluded")
    _submit(page, "#session-deal a")
    assert page.inner_text("#deal-status") == "草稿"
    assert buyer.name in page.inner_text("main")
