import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from patents.models import LegalStatus
from portal.programme import ProgrammeLine
from trading.models import Broker, FinancingInstitution, Policy, ValueIndicator
from trading.selectors import (
    broker_performance,
    comparable_deals,
    deal_patents_in_period,
    deals_in_period,
    financing_matches,
    listings_listed_in_period,
    policies_search,
)
from trading.services import (
    TradingError,
    deal_cancel,
    deal_create,
    listing_create,
    listing_publish,
    listing_review,
    listing_submit,
)
from trading.services.valuation import income_value, patent_value_score

from .factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db
Y2026 = {"start": dt.date(2026, 1, 1), "end": dt.date(2027, 1, 1)}


def test_deal_kpis_count_signed_and_recorded_once_and_exclude_cancelled():
    uni, firm = university(), enterprise()
    p1, p2 = granted_patent(), granted_patent()
    transfer = deal_create(
        kind="transfer",
        assignor=uni,
        assignee=firm,
        patents=[p1, p2],
        amount=500000,
        status="signed",
        signed_on=dt.date(2026, 3, 1),
    )
    licence = deal_create(
        kind="licence_ordinary",
        assignor=firm,
        assignee=enterprise(name="青岛海尔股份有限公司"),
        patents=[p1],
        amount=1000,
        status="signed",
        signed_on=dt.date(2026, 12, 31),
        programme_line=ProgrammeLine.INDUSTRY_OPERATIONS,
    )
    cancelled = deal_create(
        kind="transfer",
        assignor=uni,
        assignee=firm,
        patents=[p2],
        status="signed",
        signed_on=dt.date(2026, 5, 1),
    )
    deal_cancel(deal=cancelled, reason="rescinded")
    deal_create(kind="transfer", assignor=uni, assignee=firm, patents=[p2])  # draft
    assert set(deals_in_period(**Y2026)) == {transfer, licence}
    assert list(deals_in_period(**Y2026, programme_line=ProgrammeLine.TRADING_HUB)) == [transfer]
    assert list(deals_in_period(**Y2026, kinds=["licence_ordinary"])) == [licence]
    # End is exclusive.
    assert list(deals_in_period(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))) == [transfer]
    uni_to_firm = deal_patents_in_period(
        **Y2026, assignor_kinds=["university", "institute"], assignee_kinds=["enterprise"]
    )
    assert uni_to_firm.count() == 2


def test_listings_listed_in_period_uses_local_dates(settings):
    holder = university()
    listing = listing_create(
        holder=holder,
        title="t",
        subject="patent",
        purpose="licence",
        patents=[granted_patent(holder=holder)],
        asking_price=1,
    )
    listing_submit(listing=listing)
    listing_review(listing=listing, approve=True, today=dt.date(2026, 1, 5))
    listing_publish(listing=listing, today=dt.date(2026, 2, 1))
    today = timezone.localdate()
    assert list(listings_listed_in_period(start=today, end=today + dt.timedelta(days=1))) == [
        listing
    ]
    assert not listings_listed_in_period(
        start=dt.date(2020, 1, 1), end=dt.date(2020, 2, 1)
    ).exists()


def test_value_score_shows_every_indicator_and_renormalises_missing_data():
    patent = granted_patent(
        claim_count=12, cited_by_count=None, family_size=4, ipc_codes=["A01M29/00", "H02G7/00"]
    )
    score = patent_value_score(patent=patent, on=dt.date(2026, 11, 1))
    by_code = {i.code: i for i in score.indicators}
    assert len(by_code) == ValueIndicator.objects.count() == 10
    assert by_code["legal_status"].points == 100
    assert by_code["claim_count"].points == 85
    assert by_code["ipc_breadth"].raw == 2 and by_code["ipc_breadth"].points == 70
    assert by_code["citations"].points is None  # no data: shown, left out
    assert by_code["chain_market"].points is None
    assert 0 < score.total <= 100
    # Staff reweighting changes the score.
    ValueIndicator.objects.filter(code="legal_status").update(weight=Decimal("80"))
    assert patent_value_score(patent=patent, on=dt.date(2026, 11, 1)).total > score.total
    lapsed = granted_patent(legal_status=LegalStatus.LAPSED)
    assert patent_value_score(patent=lapsed).by_dimension["legal"] < score.by_dimension["legal"]


def test_income_value_and_its_refusals():
    # 100k * 0.3 discounted at 10% over 3 years.
    value = income_value(
        revenue_forecast=[100000] * 5, royalty_share="0.3", discount_rate="0.1", remaining_years=3
    )
    assert value == Decimal("74605.56")
    with pytest.raises(TradingError, match="royalty share"):
        income_value(
            revenue_forecast=[1], royalty_share="25", discount_rate="0.1", remaining_years=1
        )
    with pytest.raises(TradingError, match="must be a number"):
        income_value(
            revenue_forecast=["x"], royalty_share="0.2", discount_rate="0.1", remaining_years=1
        )


def test_comparable_deals_share_the_ipc_subclass():
    uni, firm = university(), enterprise()
    same = granted_patent(main_ipc="A01M29/00")
    other = granted_patent(main_ipc="G06F16/00")
    d1 = deal_create(
        kind="transfer",
        assignor=uni,
        assignee=firm,
        patents=[same],
        amount=9,
        status="signed",
        signed_on=dt.date(2026, 1, 2),
    )
    deal_create(
        kind="transfer",
        assignor=uni,
        assignee=firm,
        patents=[other],
        amount=9,
        status="signed",
        signed_on=dt.date(2026, 1, 2),
    )
    subject = granted_patent(main_ipc="A01M29/02")
    assert list(comparable_deals(patents=[subject])) == [d1]


def test_broker_performance_and_financing_matches_and_policy_search():
    broker = Broker.objects.create(
        name="测试经纪人甲", qualification="技术经纪人（高级）", commission_rate="0.05"
    )
    deal_create(
        kind="transfer",
        assignor=university(),
        assignee=enterprise(),
        patents=[granted_patent()],
        amount=200000,
        status="signed",
        signed_on=dt.date(2026, 4, 1),
        broker=broker,
        commission_amount=10000,
    )
    row = broker_performance().get(pk=broker.pk)
    assert (row.deals_closed, row.deal_volume, row.commission_total) == (1, 200000, 10000)

    vc = FinancingInstitution.objects.create(
        name="A 创投",
        kind="venture",
        industries=["H01M"],
        stages=["seed"],
        ticket_min=1000000,
        ticket_max=5000000,
    )
    bank = FinancingInstitution.objects.create(
        name="B 科技银行", kind="bank", industries=["A01"], ticket_min=100000, ticket_max=3000000
    )
    assert financing_matches(amount=2000000, industry="H01M10") == [vc]
    assert financing_matches(amount=500000, industry="A01M") == [bank]
    assert financing_matches(amount=9000000, industry="H01M") == []

    Policy.objects.create(
        title="专利转化运用专项行动方案",
        level="national",
        issued_on=dt.date(2023, 10, 17),
        full_text="高校和科研机构存量专利盘活",
    )
    assert len(policies_search(text="存量专利")) == 1
    assert len(policies_search(text="存量专利", level="provincial")) == 0
