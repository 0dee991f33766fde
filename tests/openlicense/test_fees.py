"""Reasonable fee ranges (staff-editable) and comparable fees from real records."""

from __future__ import annotations

import datetime as dt

import pytest

from openlicense.models import FeeRange
from openlicense.selectors import comparable_fees
from openlicense.services import declaration_announce, declaration_create, declaration_submit
from portal.roles import Role
from tests.factories import UserFactory, consent_documents
from tests.trading.factories import enterprise, granted_patent, university
from trading.services import deal_create

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def _announced(patent, holder, **kw):
    kw.setdefault("fee_lump_sum", 20000)
    declaration = declaration_create(
        patent=patent,
        consent_documents=consent_documents(holder),
        payment_method="one_off",
        term_years=3,
        declared_on=ON,
        **kw,
    )
    declaration_submit(declaration=declaration, on=ON)
    declaration_announce(
        declaration=declaration, announcement_number="CN2026OL000001", announced_on=ON
    )
    return declaration


def test_comparables_come_from_declarations_and_deals_narrowest_scope_first():
    holder = university(name="山东大学")
    subject = granted_patent(holder=holder, main_ipc="A01M29/00")
    same_sub = [
        _announced(granted_patent(holder=holder, main_ipc="A01M29/10"), holder, fee_lump_sum=v)
        for v in (10000, 30000)
    ]
    _announced(
        granted_patent(holder=holder, main_ipc="A01M29/12"),
        holder,
        fee_lump_sum=None,
        royalty_rate="0.2",
        royalty_base="profit",
    )
    other_class = _announced(granted_patent(holder=holder, main_ipc="H02J3/00"), holder)
    result = comparable_fees(patent=subject)
    assert result["scope"] == "subclass" and result["scope_prefix"] == "A01M"
    assert other_class not in result["rows"] and set(same_sub) <= set(result["rows"])
    assert result["median_lump_sum"] == 20000
    assert str(result["median_profit_royalty_rate"]) == "0.2000"
    assert result["median_royalty_rate"] is None

    deal_patent = granted_patent(holder=holder, main_ipc="A01M29/20")
    deal_create(
        kind="licence_ordinary",
        assignor=holder,
        assignee=enterprise(),
        patents=[deal_patent],
        amount=60000,
        status="signed",
        signed_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2028, 5, 1),
    )
    result = comparable_fees(patent=subject)
    assert [d.amount for d in result["deals"]] == [60000]
    assert result["median_deal_amount"] == 60000

    # No announced item in A01M or A01: the type alone.
    lone = granted_patent(holder=holder, main_ipc="C02F1/00")
    widened = comparable_fees(patent=lone)
    assert widened["scope"] == "type" and len(widened["rows"]) == 4
    assert comparable_fees(patent=granted_patent(holder=holder, patent_type="design"))["rows"] == []


def test_staff_edit_fee_ranges_with_validation(client):
    client.force_login(UserFactory(username="ol-staff", roles=[Role.STAFF]))
    ranges = list(FeeRange.objects.order_by("patent_type"))
    assert {r.patent_type for r in ranges} == {"design", "invention", "utility_model"}
    page = client.get("/open-licence/fee-ranges/")
    assert page.status_code == 200
    data = {
        "form-TOTAL_FORMS": len(ranges),
        "form-INITIAL_FORMS": len(ranges),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for i, r in enumerate(ranges):
        data |= {
            f"form-{i}-id": r.pk,
            f"form-{i}-lump_sum_min": r.lump_sum_min,
            f"form-{i}-lump_sum_max": r.lump_sum_max,
            f"form-{i}-royalty_rate_min": r.royalty_rate_min,
            f"form-{i}-royalty_rate_max": r.royalty_rate_max,
            f"form-{i}-profit_royalty_rate_min": r.profit_royalty_rate_min,
            f"form-{i}-profit_royalty_rate_max": r.profit_royalty_rate_max,
            f"form-{i}-basis": r.basis,
        }
    invention = next(i for i, r in enumerate(ranges) if r.patent_type == "invention")
    bad = data | {f"form-{invention}-royalty_rate_max": "3"}
    response = client.post("/open-licence/fee-ranges/", bad)
    assert response.status_code == 200
    assert FeeRange.objects.get(patent_type="invention").royalty_rate_max != 3
    good = data | {
        f"form-{invention}-lump_sum_max": "8000000",
        f"form-{invention}-basis": "项目办2026年第3次会议确定",
    }
    response = client.post("/open-licence/fee-ranges/", good)
    assert response.status_code == 302
    saved = FeeRange.objects.get(patent_type="invention")
    assert saved.lump_sum_max == 8000000 and saved.basis == "项目办2026年第3次会议确定"
    client.force_login(UserFactory(username="someone"))
    assert client.get("/open-licence/fee-ranges/").status_code == 403
