import datetime as dt
from decimal import Decimal

import pytest

from patents.models import LegalStatus
from trading.models import Deal, SettlementMilestone
from trading.services import (
    TradingError,
    deal_cancel,
    deal_create,
    deal_record,
    deal_sign,
    milestone_add,
    milestone_confirm,
    milestone_mark_paid,
)

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _deal(kind=Deal.Kind.TRANSFER, patents=None, **kw):
    kw.setdefault("amount", 100000)
    return deal_create(
        kind=kind,
        assignor=kw.pop("assignor", None) or university(),
        assignee=kw.pop("assignee", None) or enterprise(),
        patents=patents or [granted_patent()],
        today=TODAY,
        **kw,
    )


def test_deal_create_records_patents_and_audit():
    deal = _deal(status=Deal.Status.SIGNED, signed_on=TODAY, contract_number="HT-1")
    assert deal.patents.count() == 1
    assert deal.amount == Decimal("100000")
    assert list(deal.audit_trail.values_list("action", flat=True)) == ["created"]


def test_deal_on_lapsed_patent_is_refused():
    patent = granted_patent(legal_status=LegalStatus.LAPSED)
    with pytest.raises(TradingError) as err:
        _deal(patents=[patent])
    assert patent.publication_number in str(err.value)
    assert Deal.objects.count() == 0


def test_deal_on_expired_patent_is_refused_even_if_marked_granted():
    patent = granted_patent(application_date=dt.date(2004, 3, 1))
    with pytest.raises(TradingError, match="expired on 2024-03-01"):
        _deal(patents=[patent])


def test_licence_needs_a_granted_patent():
    patent = granted_patent(legal_status=LegalStatus.PENDING)
    with pytest.raises(TradingError, match="only a granted patent can be licensed"):
        _deal(kind=Deal.Kind.LICENCE_ORDINARY, patents=[patent])
    # An application can still be transferred.
    assert _deal(kind=Deal.Kind.TRANSFER, patents=[patent]).pk


def test_second_exclusive_licence_in_force_is_refused():
    patent = granted_patent()
    _deal(kind=Deal.Kind.LICENCE_EXCLUSIVE, patents=[patent], status="signed", signed_on=TODAY)
    with pytest.raises(TradingError, match="already in force"):
        _deal(kind=Deal.Kind.LICENCE_SOLE, patents=[patent], status="signed", signed_on=TODAY)
    # An ordinary licence alongside is the licensor's business, not refused here.
    assert _deal(kind=Deal.Kind.LICENCE_ORDINARY, patents=[patent]).pk


def test_expired_exclusive_licence_does_not_block():
    patent = granted_patent()
    _deal(
        kind=Deal.Kind.LICENCE_EXCLUSIVE,
        patents=[patent],
        status="signed",
        signed_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2025, 1, 1),
    )
    assert _deal(kind=Deal.Kind.LICENCE_EXCLUSIVE, patents=[patent]).pk


def test_same_party_and_empty_patents_refused():
    org = university()
    with pytest.raises(TradingError, match="must be different"):
        _deal(assignor=org, assignee=org)
    with pytest.raises(TradingError, match="at least one patent"):
        deal_create(kind="transfer", assignor=org, assignee=enterprise(), patents=[])


def test_sign_record_cancel_flow_with_audit():
    deal = _deal()
    with pytest.raises(TradingError, match="Only a signed deal"):
        deal_record(deal=deal, recordal_number="X", recorded_on=TODAY)
    deal_sign(deal=deal, signed_on=TODAY, contract_number="HT-2")
    with pytest.raises(TradingError, match="recordal number"):
        deal_record(deal=deal, recordal_number=" ", recorded_on=TODAY)
    deal_record(deal=deal, recordal_number="2026370000123456", recorded_on=TODAY)
    assert deal.status == Deal.Status.RECORDED
    with pytest.raises(TradingError, match="reason"):
        deal_cancel(deal=deal, reason="")
    deal_cancel(deal=deal, reason="Parties rescinded")
    actions = list(deal.audit_trail.values_list("action", "to_status"))
    assert actions == [
        ("created", "draft"),
        ("signed", "signed"),
        ("recorded", "recorded"),
        ("cancelled", "cancelled"),
    ]


def test_settlement_milestones_states_and_limits():
    deal = _deal(status="signed", signed_on=TODAY, amount=100000)
    deposit = milestone_add(deal=deal, kind="deposit", amount=20000)
    milestone_add(deal=deal, kind="instalment", amount=30000)
    with pytest.raises(TradingError, match="exceed the deal amount"):
        milestone_add(deal=deal, kind="final_payment", amount=60000)
    final = milestone_add(deal=deal, kind="final_payment", amount=50000)
    with pytest.raises(TradingError, match="final payment is already scheduled"):
        milestone_add(deal=deal, kind="instalment", amount=1)
    with pytest.raises(TradingError, match="cannot become"):
        milestone_confirm(milestone=deposit)
    milestone_mark_paid(milestone=deposit, paid_on=TODAY, reference="BANK-1")
    milestone_confirm(milestone=deposit)
    assert deposit.status == SettlementMilestone.Status.CONFIRMED
    assert final.status == SettlementMilestone.Status.PENDING
    with pytest.raises(TradingError, match="broker"):
        milestone_add(deal=deal, kind="commission", amount=100)
    assert deal.audit_trail.filter(milestone=deposit).count() == 3


def test_payment_on_draft_deal_refused():
    deal = _deal()
    m = milestone_add(deal=deal, kind="deposit", amount=10)
    with pytest.raises(TradingError, match="signed or recorded"):
        milestone_mark_paid(milestone=m, paid_on=TODAY)
