"""Every open-licence state transition that must be refused is refused with a
clear message (issue 5, "Done means")."""

from __future__ import annotations

import datetime as dt

import pytest

from openlicense.models import Declaration
from openlicense.services import (
    OpenLicenceError,
    declaration_announce,
    declaration_create,
    declaration_submit,
    declaration_withdraw,
    declaration_withdrawal_announce,
    open_licence_conclude,
    open_licence_record_filing,
)
from tests.factories import consent_documents, open_licence_paid, withdrawal_documents
from tests.trading.factories import enterprise, granted_patent, university

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def _draft(patent, holder, **kw):
    kw.setdefault("fee_lump_sum", 20000)
    kw.setdefault("term_years", 3)
    return declaration_create(
        patent=patent,
        consent_documents=consent_documents(holder),
        payment_method="one_off",
        declared_on=ON,
        **kw,
    )


def test_declaration_status_flow_refusals(patent, holder):
    draft = _draft(patent, holder)
    with pytest.raises(OpenLicenceError, match="Only a submitted declaration can be announced"):
        declaration_announce(
            declaration=draft, announcement_number="CN2026OL000001", announced_on=ON
        )
    with pytest.raises(OpenLicenceError, match="There is no requested withdrawal to announce"):
        declaration_withdrawal_announce(declaration=draft)
    declaration_submit(declaration=draft, on=ON)
    with pytest.raises(OpenLicenceError, match="already has an open licence declaration"):
        _draft(patent, holder)
    with pytest.raises(OpenLicenceError, match="Only a draft declaration can be submitted"):
        declaration_submit(declaration=draft, on=ON)
    declaration_announce(declaration=draft, announcement_number="CN2026OL000001", announced_on=ON)
    with pytest.raises(OpenLicenceError, match="A withdrawal needs a written reason"):
        declaration_withdraw(declaration=draft, documents=withdrawal_documents(draft), reason="  ")
    declaration_withdraw(
        declaration=draft,
        documents=withdrawal_documents(draft),
        reason="专利权人书面决定撤回开放许可声明。",
    )
    with pytest.raises(OpenLicenceError, match="already awaiting announcement"):
        declaration_withdraw(
            declaration=draft, documents=withdrawal_documents(draft), reason="再次撤回"
        )
    declaration_withdrawal_announce(declaration=draft)
    assert draft.status == Declaration.Status.WITHDRAWN
    with pytest.raises(OpenLicenceError, match="already withdrawn"):
        declaration_withdraw(
            declaration=draft, documents=withdrawal_documents(draft), reason="再次撤回"
        )
    # A withdrawn item can no longer be taken up.
    with pytest.raises(OpenLicenceError, match="Only an open licence that CNIPA has announced"):
        open_licence_conclude(declaration=draft, licensee=enterprise())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fee_lump_sum": None}, "lump-sum fee, a royalty rate, or both"),
        ({"royalty_rate": "0.03"}, "on sales or on profit"),
        ({"term_years": 0}, "at least one year"),
    ],
)
def test_declaration_input_refusals(kwargs, message):
    holder = university(name="青岛大学")
    patent = granted_patent(holder=holder)
    with pytest.raises(OpenLicenceError, match=message):
        _draft(patent, holder, **kwargs)


def test_declaration_needs_its_patentees():
    with pytest.raises(OpenLicenceError, match="Name the patentee"):
        declaration_create(
            patent=granted_patent(),
            consenting=[],
            fee_lump_sum=1000,
            payment_method="one_off",
            term_years=1,
            declared_on=ON,
        )


def test_licence_flow_refusals(announced, licensee, holder):
    with pytest.raises(OpenLicenceError, match="cannot license its own patent"):
        holder.kind = "enterprise"
        open_licence_conclude(declaration=announced, licensee=holder)
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    with pytest.raises(OpenLicenceError, match="already sent its notice"):
        open_licence_conclude(declaration=announced, licensee=licensee)
    with pytest.raises(OpenLicenceError, match="Only a paid, not yet filed licence"):
        open_licence_record_filing(
            licence=licence, filing_number="BA1", filed_on=dt.date(2026, 4, 9)
        )
    with pytest.raises(OpenLicenceError, match="falls short"):
        open_licence_paid(licence=licence, amount=-1, paid_on=dt.date(2026, 4, 3))
    with pytest.raises(OpenLicenceError, match="cannot predate the written notice"):
        open_licence_paid(licence=licence, amount=20000, paid_on=dt.date(2026, 3, 30))
    open_licence_paid(licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3))
    with pytest.raises(OpenLicenceError, match="already recorded"):
        open_licence_paid(licence=licence, amount=20000, paid_on=dt.date(2026, 4, 4))
    with pytest.raises(OpenLicenceError, match="Enter the filing number"):
        open_licence_record_filing(licence=licence, filing_number=" ", filed_on=dt.date(2026, 4, 9))
