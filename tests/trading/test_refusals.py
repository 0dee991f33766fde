"""Every trading state transition that must be refused is refused with a clear
message (issue 5, "Done means")."""

from __future__ import annotations

import datetime as dt

import pytest

from trading.models import Deal, Listing, SettlementMilestone
from trading.services import (
    TradingError,
    deal_cancel,
    deal_create,
    deal_record,
    deal_sign,
    listing_create,
    listing_publish,
    listing_review,
    listing_submit,
    listing_withdraw,
    milestone_add,
    milestone_confirm,
    milestone_mark_paid,
    milestone_waive,
    objection_lodge,
    objection_resolve,
)

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def holder():
    return university(name="山东大学")


@pytest.fixture
def listing(holder):
    return listing_create(
        holder=holder,
        title="驱鸟装置转让",
        subject="patent",
        purpose="transfer",
        patents=[granted_patent(holder=holder)],
        asking_price=800000,
    )


def test_listing_flow_refusals(listing, holder):
    with pytest.raises(TradingError, match="only after review and its public notice"):
        listing_publish(listing=listing, today=TODAY)
    with pytest.raises(TradingError, match="Objections are lodged only during the public notice"):
        objection_lodge(listing=listing, objector_name="李明", reason="权属存疑", today=TODAY)
    listing_submit(listing=listing)
    with pytest.raises(TradingError, match="Tell the holder why"):
        listing_review(listing=listing, approve=False, note="")
    listing_review(listing=listing, approve=True, today=TODAY)
    with pytest.raises(TradingError, match="The public notice runs until"):
        listing_publish(listing=listing, today=TODAY)
    with pytest.raises(TradingError, match="Give your name and the reason"):
        objection_lodge(listing=listing, objector_name="", reason="", today=TODAY)
    objection = objection_lodge(
        listing=listing, objector_name="李明", reason="共有人未同意", today=TODAY
    )
    with pytest.raises(TradingError, match="Write down how the objection was resolved"):
        objection_resolve(objection=objection, upheld=False, resolution=" ")
    after_notice = listing.notice_ends_on + dt.timedelta(days=1)
    with pytest.raises(TradingError, match="Resolve every open objection"):
        listing_publish(listing=listing, today=after_notice)
    objection_resolve(objection=objection, upheld=False, resolution="共有人书面同意已提交")
    with pytest.raises(TradingError, match="already resolved"):
        objection_resolve(objection=objection, upheld=True, resolution="再议")
    listing_publish(listing=listing, today=after_notice)
    assert listing.status == Listing.Status.LISTED
    with pytest.raises(TradingError, match="reason for withdrawing"):
        listing_withdraw(listing=listing, reason="")
    listing_withdraw(listing=listing, reason="权利人撤回")
    with pytest.raises(TradingError, match="already closed"):
        listing_withdraw(listing=listing, reason="再次撤回")


def test_listing_input_refusals(holder):
    patents = [granted_patent(holder=holder), granted_patent(holder=holder)]
    common = {"holder": holder, "subject": "patent", "purpose": "transfer"}
    with pytest.raises(TradingError, match="Give the listing a title"):
        listing_create(title=" ", patents=patents[:1], **common)
    with pytest.raises(TradingError, match="names exactly one patent"):
        listing_create(title="两件专利", patents=patents, **common)
    with pytest.raises(TradingError, match="asking price cannot be negative"):
        listing_create(title="负价", patents=patents[:1], asking_price=-1, **common)
    draft = listing_create(title="无价", patents=patents[:1], **common)
    with pytest.raises(TradingError, match="State an asking price"):
        listing_submit(listing=draft)


@pytest.fixture
def deal(holder):
    return deal_create(
        kind="transfer",
        assignor=holder,
        assignee=enterprise(),
        patents=[granted_patent(holder=holder)],
        amount=500000,
    )


def test_deal_flow_refusals(deal):
    with pytest.raises(TradingError, match="Only a signed deal can be recorded"):
        deal_record(deal=deal, recordal_number="X1", recorded_on=TODAY)
    deal_sign(deal=deal, signed_on=TODAY, contract_number="HT-1")
    with pytest.raises(TradingError, match="Only a draft deal can be signed"):
        deal_sign(deal=deal, signed_on=TODAY)
    with pytest.raises(TradingError, match="Enter the CNIPA recordal number"):
        deal_record(deal=deal, recordal_number=" ", recorded_on=TODAY)
    with pytest.raises(TradingError, match="cannot be recorded before it was signed"):
        deal_record(deal=deal, recordal_number="X1", recorded_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(TradingError, match="reason for cancelling"):
        deal_cancel(deal=deal, reason="")
    deal_cancel(deal=deal, reason="受让方放弃")
    assert deal.status == Deal.Status.CANCELLED
    with pytest.raises(TradingError, match="already cancelled"):
        deal_cancel(deal=deal, reason="再次取消")
    with pytest.raises(TradingError, match="A cancelled deal takes no settlement milestones"):
        milestone_add(deal=deal, kind="deposit", amount=1000)


def test_deal_input_refusals(holder):
    buyer = enterprise()
    patent = granted_patent(holder=holder)
    common = {"assignor": holder, "assignee": buyer, "patents": [patent], "amount": 1}
    with pytest.raises(TradingError, match="Unknown deal kind"):
        deal_create(kind="gift", **common)
    with pytest.raises(TradingError, match="A new deal is a draft, signed or recorded"):
        deal_create(kind="transfer", status="cancelled", **common)
    with pytest.raises(TradingError, match="needs its signing date"):
        deal_create(kind="transfer", status="signed", **common)
    with pytest.raises(TradingError, match="The amount cannot be negative"):
        deal_create(kind="transfer", **(common | {"amount": -5}))
    with pytest.raises(TradingError, match="ends before it starts"):
        deal_create(
            kind="licence_ordinary",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2025, 1, 1),
            **common,
        )
    with pytest.raises(TradingError, match="at least one patent"):
        deal_create(kind="transfer", **(common | {"patents": []}))


def test_milestone_refusals(deal):
    deal_sign(deal=deal, signed_on=TODAY)
    with pytest.raises(TradingError, match="Unknown milestone kind"):
        milestone_add(deal=deal, kind="bribe", amount=1)
    with pytest.raises(TradingError, match="must be positive"):
        milestone_add(deal=deal, kind="deposit", amount=0)
    with pytest.raises(TradingError, match="Only a deal handled by a broker has a commission"):
        milestone_add(deal=deal, kind="commission", amount=100)
    with pytest.raises(TradingError, match="would exceed the deal amount"):
        milestone_add(deal=deal, kind="instalment", amount=600000)
    deposit = milestone_add(deal=deal, kind="deposit", amount=100000)
    with pytest.raises(TradingError, match="cannot become"):
        milestone_confirm(milestone=deposit)
    with pytest.raises(TradingError, match="reason for waiving"):
        milestone_waive(milestone=deposit, reason="")
    milestone_mark_paid(milestone=deposit, paid_on=TODAY)
    with pytest.raises(TradingError, match="cannot become"):
        milestone_waive(milestone=deposit, reason="免除")
    milestone_confirm(milestone=deposit)
    assert deposit.status == SettlementMilestone.Status.CONFIRMED
