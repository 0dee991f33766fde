import datetime as dt

import pytest

from openlicense.models import Declaration, FeeRange
from openlicense.services import (
    OpenLicenceError,
    declaration_create,
    declaration_precheck,
    declaration_submit,
    declaration_withdraw,
    declaration_withdrawal_announce,
    open_licence_conclude,
)
from patents.models import LegalStatus, PatentType
from tests.factories import consent_documents, open_licence_paid, withdrawal_documents
from tests.trading.factories import enterprise, granted_patent, university
from trading.models import Deal
from trading.services import TradingError, deal_create

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def _draft(patent, **kw):
    kw.setdefault("fee_lump_sum", 20000)
    kw.setdefault("payment_method", "one_off")
    kw.setdefault("term_years", 3)
    return declaration_create(patent=patent, declared_on=ON, **kw)


def _failed(declaration):
    return {
        i.code: i.message for i in declaration_precheck(declaration=declaration, on=ON) if not i.ok
    }


def test_clean_declaration_passes_every_check(patent, holder):
    declaration = _draft(patent, consent_documents=consent_documents(holder))
    assert _failed(declaration) == {}
    declaration_submit(declaration=declaration, on=ON)
    assert declaration.status == Declaration.Status.SUBMITTED


def test_co_owner_without_consent_blocks_submission(patent, holder):
    co_owner = university(name="中国科学院海洋研究所")
    declaration = _draft(
        patent, patentees=[holder, co_owner], consent_documents=consent_documents(holder)
    )
    assert "中国科学院海洋研究所" in _failed(declaration)["consent"]
    with pytest.raises(OpenLicenceError, match="Written consent missing"):
        declaration_submit(declaration=declaration, on=ON)


def test_lapsed_patent_and_missing_evaluation_report_fail(holder):
    lapsed = granted_patent(holder=holder, legal_status=LegalStatus.LAPSED)
    assert "in_force" in _failed(_draft(lapsed, consent_documents=consent_documents(holder)))
    utility = granted_patent(
        holder=holder, patent_type=PatentType.UTILITY_MODEL, application_date=dt.date(2022, 1, 4)
    )
    failed = _failed(_draft(utility, consent_documents=consent_documents(holder)))
    assert set(failed) == {"evaluation_report"}
    ok = _draft(
        granted_patent(
            holder=holder,
            patent_type=PatentType.UTILITY_MODEL,
            application_date=dt.date(2022, 1, 4),
        ),
        consent_documents=consent_documents(holder),
        evaluation_report_number="2022SR0012345",
    )
    assert _failed(ok) == {}


def test_exclusive_licence_in_force_and_pledge_fail(patent, holder):
    deal_create(
        kind=Deal.Kind.LICENCE_EXCLUSIVE,
        assignor=holder,
        assignee=enterprise(),
        patents=[patent],
        status="signed",
        signed_on=dt.date(2026, 1, 5),
    )
    failed = _failed(_draft(patent, consent_documents=consent_documents(holder), pledged=True))
    assert set(failed) == {"no_exclusive", "pledge"}


def test_fee_outside_configured_range(patent, holder):
    FeeRange.objects.update_or_create(
        patent_type="invention",
        defaults={
            "lump_sum_min": None,
            "lump_sum_max": 10000,
            "royalty_rate_max": "0.05",
            "profit_royalty_rate_max": 1,
        },
    )
    failed = _failed(
        _draft(
            patent,
            consent_documents=consent_documents(holder),
            royalty_rate="0.08",
            royalty_base="sales",
        )
    )
    assert "lump sum above 10000" in failed["fee"]
    assert "royalty rate on sales above 0.0500" in failed["fee"]
    # The same rate on profit is judged against the profit range.
    on_profit = _failed(
        _draft(
            patent,
            consent_documents=consent_documents(holder),
            fee_lump_sum=5000,
            royalty_rate="0.08",
            royalty_base="profit",
        )
    )
    assert "fee" not in on_profit


@pytest.mark.parametrize("patent_type", ["invention", "utility_model", "design"])
def test_default_fee_ranges_are_seeded_and_catch_entry_errors(patent_type, holder):
    fee_range = FeeRange.objects.get(patent_type=patent_type)
    assert fee_range.basis  # says where the figures come from
    assert fee_range.lump_sum_min < fee_range.lump_sum_max
    assert fee_range.royalty_rate_max < fee_range.profit_royalty_rate_max <= 1
    patent = granted_patent(holder=holder, patent_type=patent_type)
    # "3" typed for 3%: outside every default range.
    failed = _failed(
        _draft(
            patent,
            consent_documents=consent_documents(holder),
            fee_lump_sum=None,
            royalty_rate="3",
            royalty_base="sales",
            evaluation_report_number="PJ-2026-001",
        )
    )
    assert "royalty rate on sales above" in failed["fee"]


def test_fee_is_required():
    with pytest.raises(OpenLicenceError, match="lump-sum fee, a royalty rate"):
        _draft(granted_patent(), fee_lump_sum=None)


def test_exclusive_licence_refused_while_open_licence_in_force(announced, patent, holder):
    with pytest.raises(TradingError, match="An open licence is in force"):
        deal_create(
            kind=Deal.Kind.LICENCE_EXCLUSIVE,
            assignor=holder,
            assignee=enterprise(),
            patents=[patent],
        )
    # An ordinary licence remains possible.
    assert deal_create(
        kind=Deal.Kind.LICENCE_ORDINARY, assignor=holder, assignee=enterprise(), patents=[patent]
    ).pk


def test_withdrawal_takes_effect_on_announcement_and_keeps_licences(
    announced, patent, holder, licensee
):
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    open_licence_paid(licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3))
    with pytest.raises(OpenLicenceError, match="written reason"):
        declaration_withdraw(
            declaration=announced, documents=withdrawal_documents(announced), reason=" "
        )
    declaration_withdraw(
        declaration=announced,
        documents=withdrawal_documents(announced),
        reason="专利权人拟独占许可",
    )
    assert announced.status == Declaration.Status.ANNOUNCED  # still in force
    with pytest.raises(TradingError, match="open licence is in force"):
        deal_create(kind="licence_sole", assignor=holder, assignee=enterprise(), patents=[patent])
    declaration_withdrawal_announce(declaration=announced, announced_on=dt.date(2026, 5, 1))
    assert announced.status == Declaration.Status.WITHDRAWN
    licence.refresh_from_db()
    assert licence.deal.status == Deal.Status.SIGNED
    with pytest.raises(OpenLicenceError, match="Only an open licence that CNIPA has announced"):
        open_licence_conclude(
            declaration=announced, licensee=enterprise(name="青岛海尔股份有限公司")
        )
    history = list(announced.history.values_list("to_status", flat=True))
    assert history == ["draft", "submitted", "announced", "announced", "withdrawn"]


def test_push_items_name_announced_declarations_only(announced, patent):
    from openlicense.push import open_licence_push_items

    draft = _draft(granted_patent(holder=university(name="青岛大学")), consenting=[])
    items = open_licence_push_items([announced, draft])
    assert items == [
        {
            "kind": "open_licence",
            "patent_id": patent.pk,
            "object_id": announced.pk,
            "title": f"{patent.publication_number} {patent.title}",
            "url": f"/open-licence/{announced.pk}/",
        }
    ]
