"""Transaction modes (issue 23): every refusal the rules require, bidding order
and extension, deposits frozen/applied/refunded, the result notice and the
agreed transfer's pre-publication (art. 18)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from portal.audit import AuditEvent
from portal.roles import Role
from tests.factories import UserFactory
from trading.models import Bid, Deal, Deposit, LedgerEntry, Listing, TradingSession
from trading.services import (
    TradingError,
    bid_place,
    deposit_record,
    deposit_refund,
    listing_create,
    overdue_reminders_send,
    payment_record,
    session_cancel,
    session_close,
    session_conclude,
    session_open,
    session_reconciliation,
)
from trading.services.rules import mode_rules

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)  # a Monday
TZ = timezone.get_current_timezone()
START = dt.datetime(2026, 11, 16, 9, 0, tzinfo=TZ)  # after 5 and 7 working days


def _listed(holder, purpose="transfer"):
    listing = listing_create(
        holder=holder,
        title="一种水电站高压输电线路驱鸟保护装置",
        subject="patent",
        purpose=purpose,
        patents=[granted_patent(holder=holder)],
        asking_price=500000,
    )
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.LISTED)
    listing.refresh_from_db()
    return listing


@pytest.fixture
def seller():
    return university(name="山东大学")


@pytest.fixture
def listing(seller):
    return _listed(seller)


@pytest.fixture
def buyers():
    return [enterprise(name=f"济南竞买企业{i}有限公司") for i in range(3)]


def _bidding(listing, mode="bidding", **kw):
    args = {
        "starting_price": 100000,
        "increment": 5000,
        "deposit_amount": 20000,
        "starts_at": START,
        "bidding_minutes": 60,
        "today": TODAY,
    }
    args.update(kw)
    return session_open(listing=listing, mode=mode, **args)


def _register(session, *orgs):
    for org in orgs:
        deposit_record(
            session=session,
            bidder=org,
            amount=session.deposit_amount,
            received_on=TODAY,
            now=START - dt.timedelta(days=1),
        )


def at(minutes):
    return START + dt.timedelta(minutes=minutes)


# --- opening ---------------------------------------------------------------------------------


def test_open_refusals(listing, seller, buyers):
    draft = listing_create(
        holder=seller,
        title="草稿",
        subject="patent",
        purpose="transfer",
        patents=[granted_patent(holder=seller)],
    )
    with pytest.raises(TradingError, match="Only a public listing"):
        _bidding(draft)
    with pytest.raises(TradingError, match="Unknown transaction mode"):
        session_open(listing=listing, mode="barter", today=TODAY)
    with pytest.raises(TradingError, match="starting price above zero"):
        _bidding(listing, starting_price=0)
    with pytest.raises(TradingError, match="reserve price cannot be below"):
        _bidding(listing, reserve_price=50000)
    with pytest.raises(TradingError, match="increment must be at least 1000"):
        _bidding(listing, increment=500)
    with pytest.raises(TradingError, match="require a deposit"):
        _bidding(listing, deposit_amount=0)
    with pytest.raises(TradingError, match="announcement runs 5 working days, until 2026-11-09"):
        _bidding(listing, starts_at=dt.datetime(2026, 11, 6, 9, 0, tzinfo=TZ))
    with pytest.raises(TradingError, match="announcement runs 7 working days"):
        _bidding(listing, mode="auction", starts_at=dt.datetime(2026, 11, 10, 9, 0, tzinfo=TZ))
    with pytest.raises(TradingError, match="not an amount"):
        _bidding(listing, starting_price="十万")
    with pytest.raises(TradingError, match="State the agreed price"):
        session_open(listing=listing, mode="agreed", counterparty=buyers[0], today=TODAY)
    with pytest.raises(TradingError, match="Name the buyer"):
        session_open(listing=listing, mode="agreed", agreed_price=1, today=TODAY)
    with pytest.raises(TradingError, match="buyer cannot be the seller"):
        session_open(
            listing=listing, mode="agreed", agreed_price=1, counterparty=seller, today=TODAY
        )
    _bidding(listing)
    with pytest.raises(TradingError, match="already has a transaction under way"):
        _bidding(listing)


def test_rules_are_configuration(listing):
    with override_settings(TRADING_MODE_RULES={"bidding": {"announcement_working_days": 1}}):
        assert mode_rules("bidding")["announcement_working_days"] == 1
        session = _bidding(listing, starts_at=dt.datetime(2026, 11, 4, 9, 0, tzinfo=TZ))
    assert session.rules["announcement_working_days"] == 1
    # The start day is not counted (Civil Code art. 201; portal.workdays).
    assert session.announcement_ends_on == dt.date(2026, 11, 3)


# --- deposits and bids -----------------------------------------------------------------------


def test_deposit_refusals(listing, seller, buyers):
    session = _bidding(listing)
    before = START - dt.timedelta(days=1)
    with pytest.raises(TradingError, match="seller cannot register"):
        deposit_record(session=session, bidder=seller, amount=20000, received_on=TODAY, now=before)
    with pytest.raises(TradingError, match="deposit for this transaction is 20000"):
        deposit_record(session=session, bidder=buyers[0], amount=100, received_on=TODAY, now=before)
    with pytest.raises(TradingError, match="not in the future"):
        deposit_record(
            session=session,
            bidder=buyers[0],
            amount=20000,
            received_on=dt.date(2026, 11, 20),
            now=before,
        )
    with pytest.raises(TradingError, match="Registration closed"):
        deposit_record(
            session=session, bidder=buyers[0], amount=20000, received_on=TODAY, now=at(1)
        )
    _register(session, buyers[0])
    with pytest.raises(TradingError, match="already recorded"):
        _register(session, buyers[0])


def test_bid_refusals_are_kept_and_audited(listing, seller, buyers):
    session = _bidding(listing, reserve_price=150000)
    _register(session, buyers[0], buyers[1])
    cases = [
        (dict(bidder=buyers[0], amount=100000, now=at(-5)), "has not started"),
        (dict(bidder=seller, amount=100000, now=at(1)), "seller cannot bid"),
        (dict(bidder=buyers[2], amount=100000, now=at(1)), "deposit has been received"),
        (dict(bidder=buyers[0], amount=90000, now=at(1)), "at least the starting price"),
        (dict(bidder=buyers[0], amount=0, now=at(1)), "Enter the amount"),
    ]
    for kwargs, message in cases:
        with pytest.raises(TradingError, match=message):
            bid_place(session=session, **kwargs)
    bid_place(session=session, bidder=buyers[0], amount=100000, now=at(2))
    with pytest.raises(TradingError, match="already hold the highest bid"):
        bid_place(session=session, bidder=buyers[0], amount=110000, now=at(3))
    with pytest.raises(TradingError, match=r"105000\.00 RMB or more"):
        bid_place(session=session, bidder=buyers[1], amount=104999, now=at(3))
    with pytest.raises(TradingError, match="too late"):
        bid_place(session=session, bidder=buyers[1], amount=200000, now=at(61))
    refused = Bid.objects.filter(session=session, status=Bid.Status.REFUSED)
    assert refused.count() == 7  # "Enter the amount" is refused before anything is kept
    assert all(b.sequence is None and b.reason for b in refused)
    actions = list(
        AuditEvent.objects.filter(target_id=str(session.pk)).values_list("action", flat=True)
    )
    assert actions.count("trading.session_bid_refused") == 7
    assert actions.count("trading.session_bid_accepted") == 1


def test_bids_in_order_with_extension_and_close(listing, buyers):
    session = _bidding(listing)
    _register(session, *buyers)
    bid_place(session=session, bidder=buyers[0], amount=100000, now=at(10))
    bid_place(session=session, bidder=buyers[1], amount=105000, now=at(20))
    # A bid 2 minutes before the end moves the end to 5 minutes after it.
    bid_place(session=session, bidder=buyers[2], amount=120000, now=at(58))
    session.refresh_from_db()
    assert session.ends_at == at(63) and session.extensions == 1
    bid_place(session=session, bidder=buyers[0], amount=125000, now=at(62))
    session.refresh_from_db()
    assert session.ends_at == at(67)
    with pytest.raises(TradingError, match="can be closed only after"):
        session_close(session=session, now=at(66))
    session_close(session=session, now=at(67))
    session.refresh_from_db()
    assert session.status == TradingSession.Status.RESULT_NOTICE
    assert session.winner == buyers[0] and session.winning_price == Decimal("125000")
    accepted = list(session.bids.filter(status="accepted").order_by("sequence"))
    assert [b.sequence for b in accepted] == [1, 2, 3, 4]
    assert [b.won for b in accepted] == [False, False, False, True]
    with pytest.raises(TradingError, match="Bidding on this transaction is closed"):
        bid_place(session=session, bidder=buyers[1], amount=999999, now=at(66))
    deposits = {d.bidder_id: d for d in session.deposits.all()}
    assert deposits[buyers[0].pk].status == Deposit.Status.FROZEN
    # Closed on Monday 16 Nov: refunds are due within 5 working days, the 16th not counted.
    assert deposits[buyers[1].pk].refund_due_on == dt.date(2026, 11, 23)
    assert deposits[buyers[0].pk].refund_due_on is None


def test_reserve_not_met_fails_and_refunds_all(listing, buyers):
    session = _bidding(listing, mode="auction", reserve_price=300000)
    _register(session, buyers[0])
    bid_place(session=session, bidder=buyers[0], amount=100000, now=at(1))
    session_close(session=session, now=at(60))
    session.refresh_from_db()
    assert session.status == TradingSession.Status.FAILED and session.winner is None
    assert not session.bids.filter(won=True).exists()
    assert session.deposits.get().refund_due_on is not None


def test_result_notice_conclusion_and_ledger(listing, buyers):
    session = _bidding(listing)
    _register(session, buyers[0], buyers[1])
    bid_place(session=session, bidder=buyers[0], amount=100000, now=at(1))
    bid_place(session=session, bidder=buyers[1], amount=150000, now=at(2))
    loser = session.deposits.get(bidder=buyers[0])
    with pytest.raises(TradingError, match="refunded after the bidding closes"):
        deposit_refund(deposit=loser, refunded_on=TODAY)
    with pytest.raises(TradingError, match="Only a transaction with a winner"):
        session_conclude(session=session, today=dt.date(2026, 11, 17))
    session_close(session=session, now=at(60))
    session.refresh_from_db()
    with pytest.raises(TradingError, match="result notice runs until 2026-11-23"):
        session_conclude(session=session, today=dt.date(2026, 11, 23))
    winner_deposit = session.deposits.get(bidder=buyers[1])
    with pytest.raises(TradingError, match="applied to the price, not refunded"):
        deposit_refund(deposit=winner_deposit, refunded_on=dt.date(2026, 11, 17))
    with pytest.raises(TradingError, match="before it was received"):
        deposit_refund(deposit=loser, refunded_on=dt.date(2026, 11, 1))
    deposit_refund(deposit=loser, refunded_on=dt.date(2026, 11, 18), reference="退-001")
    with pytest.raises(TradingError, match="already refunded"):
        deposit_refund(deposit=loser, refunded_on=dt.date(2026, 11, 18))
    session_conclude(session=session, today=dt.date(2026, 11, 24))
    session.refresh_from_db()
    deal = session.deal
    assert session.status == TradingSession.Status.CONCLUDED
    assert deal.assignee == buyers[1] and deal.amount == Decimal("150000")
    assert deal.status == Deal.Status.DRAFT and deal.listing == listing
    milestones = {m.kind: m for m in deal.milestones.all()}
    assert milestones["deposit"].amount == Decimal("20000")
    assert milestones["final_payment"].amount == Decimal("130000")
    winner_deposit.refresh_from_db()
    assert winner_deposit.status == Deposit.Status.APPLIED
    recon = session_reconciliation(session)
    assert recon["deposits_held"] == 0 and recon["deposits_refunded"] == Decimal("20000")
    assert recon["balanced"]
    # The winner pays once the contract is signed.
    with pytest.raises(TradingError, match="only on a signed or recorded deal"):
        payment_record(
            session=session, milestone=milestones["final_payment"], paid_on=dt.date(2026, 11, 24)
        )
    from trading.services import deal_sign

    deal_sign(deal=deal, signed_on=dt.date(2026, 11, 24))
    payment_record(
        session=session, milestone=milestones["final_payment"], paid_on=dt.date(2026, 11, 25)
    )
    assert LedgerEntry.objects.filter(session=session, kind="payment_received").count() == 1
    assert session_reconciliation(session)["balanced"]


def test_overdue_refund_reminder_only_when_mailed(listing, buyers):
    session = _bidding(listing)
    _register(session, buyers[0], buyers[1])
    bid_place(session=session, bidder=buyers[1], amount=100000, now=at(1))
    session_close(session=session, now=at(60))
    # Nobody to tell: nothing counts as reminded.
    assert overdue_reminders_send(today=dt.date(2026, 11, 24)) == 0
    UserFactory(username="hub", email="hub@example.cn", roles=[Role.STAFF])
    assert overdue_reminders_send(today=dt.date(2026, 11, 23)) == 0  # not yet overdue
    assert overdue_reminders_send(today=dt.date(2026, 11, 24)) == 1
    assert mail.outbox[-1].to == ["hub@example.cn"]
    assert overdue_reminders_send(today=dt.date(2026, 11, 25)) == 0  # once per deposit


def test_tender_sealed_one_per_tenderer(listing, buyers):
    session = _bidding(
        listing,
        mode="tender",
        increment=None,
        bidding_minutes=None,
        starts_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
    )
    for org in buyers[:2]:
        deposit_record(
            session=session,
            bidder=org,
            amount=20000,
            received_on=TODAY,
            now=dt.datetime(2026, 11, 30, 9, 0, tzinfo=TZ),
        )
    t0 = dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
    bid_place(session=session, bidder=buyers[0], amount=180000, now=t0)
    with pytest.raises(TradingError, match="one sealed tender"):
        bid_place(session=session, bidder=buyers[0], amount=190000, now=t0)
    with pytest.raises(TradingError, match="below the starting price"):
        bid_place(session=session, bidder=buyers[1], amount=1000, now=t0)
    # Sealed: a lower later tender is accepted, the price is not shown.
    bid_place(session=session, bidder=buyers[1], amount=170000, now=t0)
    session.refresh_from_db()
    assert session.current_price is None
    session_close(session=session, now=session.ends_at)
    session.refresh_from_db()
    assert session.winner == buyers[0] and session.winning_price == Decimal("180000")


def test_agreed_transfer_prepublication_art_18(listing, buyers):
    session = session_open(
        listing=listing, mode="agreed", agreed_price=480000, counterparty=buyers[0], today=TODAY
    )
    assert session.status == TradingSession.Status.PREPUBLICATION
    assert session.prepublication_ends_on == dt.date(2026, 11, 16)  # 15 days, today included
    with pytest.raises(TradingError, match=r"art\. 18.*until 2026-11-16"):
        session_conclude(session=session, today=dt.date(2026, 11, 16))
    with pytest.raises(TradingError, match="published price of 480000"):
        session_conclude(session=session, price=450000, today=dt.date(2026, 11, 17))
    with pytest.raises(TradingError, match="agreed transfer takes no bids"):
        bid_place(session=session, bidder=buyers[1], amount=500000)
    with pytest.raises(TradingError, match="concluded, not closed"):
        session_close(session=session)
    session_conclude(session=session, price=480000, today=dt.date(2026, 11, 17))
    session.refresh_from_db()
    assert session.deal.amount == Decimal("480000") and session.deal.assignee == buyers[0]
    with pytest.raises(TradingError, match="no longer open"):
        session_conclude(session=session, today=dt.date(2026, 11, 18))


def test_agreed_transfer_by_enterprise_needs_no_prepublication(buyers):
    listing = _listed(enterprise(name="山东黄河河务局供水局"))
    session = session_open(
        listing=listing, mode="agreed", agreed_price=300000, counterparty=buyers[0], today=TODAY
    )
    assert session.status == TradingSession.Status.OPEN
    session_conclude(session=session, today=TODAY)
    session.refresh_from_db()
    assert session.status == TradingSession.Status.CONCLUDED


@override_settings(TRADING_MODE_RULES={"agreed": {"prepublication_days": 30}})
def test_prepublication_days_configurable(listing, buyers):
    session = session_open(
        listing=listing, mode="agreed", agreed_price=1, counterparty=buyers[0], today=TODAY
    )
    assert session.prepublication_ends_on == TODAY + dt.timedelta(days=29)


def test_cancel_refusals_and_refunds(listing, buyers):
    session = _bidding(listing)
    _register(session, buyers[0])
    with pytest.raises(TradingError, match="reason for cancelling"):
        session_cancel(session=session, reason=" ")
    session_cancel(session=session, reason="权利人撤回")
    assert session.deposits.get().refund_due_on is not None
    with pytest.raises(TradingError, match="already over"):
        session_cancel(session=session, reason="再次")
    with pytest.raises(TradingError, match="taken only while the transaction is announced"):
        deposit_record(
            session=session,
            bidder=buyers[1],
            amount=20000,
            received_on=TODAY,
            now=START - dt.timedelta(days=1),
        )


def test_ended_sessions_close_on_schedule(listing, buyers):
    from trading.services.sessions import sessions_close_due

    session = _bidding(listing)
    _register(session, buyers[0])
    bid_place(session=session, bidder=buyers[0], amount=100000, now=at(1))
    assert sessions_close_due(now=at(59)) == 0
    assert sessions_close_due(now=at(60)) == 1
    assert sessions_close_due(now=at(61)) == 0  # idempotent
    session.refresh_from_db()
    assert session.status == TradingSession.Status.RESULT_NOTICE
