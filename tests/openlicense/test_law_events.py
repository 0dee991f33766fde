"""Open licence per Patent Law arts. 50-52 and Implementing Regulations arts. 85-88
(issue 15): CNIPA's announcement puts a declaration in force, every co-owner consents in
writing to declare and to withdraw, the licensee's notice is delivered to the patentee,
the payment is proved and confirmed, the term ends at the patent's expiry, the fee band
only warns, and the master-platform import invents no consent."""

import datetime as dt

import pytest
from django.core import mail

from openlicense.models import Declaration, OpenLicence
from openlicense.selectors import open_licences_concluded_in_period
from openlicense.services import (
    OpenLicenceError,
    declaration_announce,
    declaration_create,
    declaration_precheck,
    declaration_submit,
    declaration_withdraw,
    open_licence_conclude,
    open_licence_confirm_payment,
    open_licence_record_payment,
)
from portal.models import UserProfile
from tests.factories import UserFactory, consent_documents, written_document
from tests.trading.factories import enterprise, granted_patent, university
from trading.models import Deal

pytestmark = pytest.mark.django_db
YEAR = {"start": dt.date(2026, 1, 1), "end": dt.date(2027, 1, 1)}


def _member(org, username, email=""):
    user = UserFactory(username=username, email=email)
    UserProfile.objects.create(user=user, organization=org)
    return user


def _submitted(patent, *, patentees, documents, term_years=3, **kw):
    declaration = declaration_create(
        patent=patent,
        patentees=patentees,
        consent_documents=documents,
        fee_lump_sum=kw.pop("fee_lump_sum", 20000),
        payment_method="one_off",
        term_years=term_years,
        declared_on=dt.date(2026, 3, 2),
        **kw,
    )
    declaration_submit(declaration=declaration, on=dt.date(2026, 3, 2))
    return declaration


def test_in_force_follows_cnipas_announcement_number_and_date(holder, patent, licensee):
    declaration = _submitted(patent, patentees=[holder], documents=consent_documents(holder))
    with pytest.raises(OpenLicenceError, match="announcement number and date"):
        declaration_announce(declaration=declaration, announced_on=dt.date(2026, 3, 9))
    with pytest.raises(OpenLicenceError, match="announcement number and date"):
        declaration_announce(declaration=declaration, announcement_number="CN2026OL000007")
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.SUBMITTED and not declaration.in_force
    declaration_announce(
        declaration=declaration,
        announcement_number="CN2026OL000007",
        announced_on=dt.date(2026, 3, 9),
    )
    assert declaration.in_force and declaration.cnipa_announcement_number == "CN2026OL000007"


def test_every_co_owner_consents_in_writing_to_declare_and_to_withdraw(holder, patent):
    co_owner = university(name="中国科学院海洋研究所")
    # One co-owner's checkbox no longer stands for the other's consent.
    with pytest.raises(OpenLicenceError, match="Attach the written consent"):
        declaration_create(
            patent=patent,
            patentees=[holder, co_owner],
            consenting=[holder, co_owner],
            consent_documents=consent_documents(holder),
            fee_lump_sum=20000,
            payment_method="one_off",
            term_years=3,
        )
    declaration = _submitted(
        patent, patentees=[holder, co_owner], documents=consent_documents(holder, co_owner)
    )
    assert all(len(c.document_sha256) == 64 for c in declaration.consents.all())
    declaration_announce(
        declaration=declaration,
        announcement_number="CN2026OL000008",
        announced_on=dt.date(2026, 3, 9),
    )
    # One patentee alone cannot withdraw.
    with pytest.raises(OpenLicenceError, match="中国科学院海洋研究所"):
        declaration_withdraw(
            declaration=declaration,
            reason="山东大学拟独占许可",
            documents=consent_documents(holder),
        )
    declaration.refresh_from_db()
    assert declaration.withdrawal_requested_at is None
    declaration_withdraw(
        declaration=declaration,
        reason="共有人一致同意撤回",
        documents=consent_documents(holder, co_owner),
    )
    assert declaration.withdrawal_requested_at is not None


def test_notice_delivered_payment_confirmed_then_counted(announced, holder, licensee):
    _member(holder, "sdu-ip", "ip@sdu.edu.cn")
    outsider = _member(enterprise(name="无关科技有限公司"), "outsider", "x@example.cn")
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    assert licence.notice_delivered_at is not None
    assert licence.notice_delivered_to == "ip@sdu.edu.cn"
    assert mail.outbox[-1].to == ["ip@sdu.edu.cn"]
    with pytest.raises(OpenLicenceError, match="proof of payment"):
        open_licence_record_payment(licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3))
    open_licence_record_payment(
        licence=licence,
        amount=20000,
        paid_on=dt.date(2026, 4, 3),
        proof=written_document("bank-slip.pdf"),
    )
    # Reported by the licensee, not confirmed: no deal, not counted.
    assert licence.status == OpenLicence.Status.PAYMENT_REPORTED and licence.deal is None
    assert not open_licences_concluded_in_period(**YEAR).exists()
    with pytest.raises(OpenLicenceError, match="Only a patentee"):
        open_licence_confirm_payment(licence=licence, actor=outsider)
    with pytest.raises(OpenLicenceError, match="Only centre staff"):
        open_licence_confirm_payment(licence=licence, actor=outsider, as_staff=True)
    patentee = UserProfile.objects.get(organization=holder).user
    open_licence_confirm_payment(licence=licence, actor=patentee)
    assert licence.status == OpenLicence.Status.IN_FORCE
    assert licence.payment_confirmed_as == "patentee" and licence.deal.kind == "open_licence"
    assert list(open_licences_concluded_in_period(**YEAR)) == [licence]


def test_a_notice_that_reached_no_patentee_is_not_counted(announced, licensee):
    staff = UserFactory(username="ol-staff", roles=["centre_staff"])
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    assert licence.notice_delivered_at is None  # no patentee address on file
    open_licence_record_payment(
        licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3), proof=written_document()
    )
    open_licence_confirm_payment(licence=licence, actor=staff, as_staff=True)
    assert not open_licences_concluded_in_period(**YEAR).exists()


def test_licence_term_is_capped_at_the_patents_expiry(holder, licensee):
    # A utility model filed in 2017 expires in 2027; a 5-year term stops there.
    patent = granted_patent(
        holder=holder, patent_type="utility_model", application_date=dt.date(2017, 6, 1)
    )
    declaration = _submitted(
        patent,
        patentees=[holder],
        documents=consent_documents(holder),
        term_years=5,
        evaluation_report_number="PJ2026370001",
    )
    warnings = {i.code: i for i in declaration_precheck(declaration=declaration)}
    assert warnings["term"].warning and "2027-06-01" in warnings["term"].message
    declaration_announce(
        declaration=declaration,
        announcement_number="CN2026OL000009",
        announced_on=dt.date(2026, 3, 9),
    )
    staff = UserFactory(username="ol-staff2", roles=["centre_staff"])
    licence = open_licence_conclude(
        declaration=declaration, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    open_licence_record_payment(
        licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3), proof=written_document()
    )
    open_licence_confirm_payment(licence=licence, actor=staff, as_staff=True)
    assert licence.deal.ends_on == dt.date(2027, 6, 1)


def test_annuity_arrears_and_preservation_block_a_declaration(holder):
    for raw in ("未缴年费终止失效", "中止", "保全"):
        patent = granted_patent(holder=holder, legal_status_raw=raw)
        declaration = declaration_create(
            patent=patent,
            consent_documents=consent_documents(holder),
            fee_lump_sum=20000,
            payment_method="one_off",
            term_years=3,
            declared_on=dt.date(2026, 3, 2),
        )
        with pytest.raises(OpenLicenceError, match="unpaid annuities"):
            declaration_submit(declaration=declaration, on=dt.date(2026, 3, 2))


def test_the_fee_band_warns_citing_its_source_and_never_refuses(holder, patent):
    declaration = _submitted(
        patent,
        patentees=[holder],
        documents=consent_documents(holder),
        fee_lump_sum=15_000_000,  # above the seeded 10M default band
    )
    fee = {i.code: i for i in declaration_precheck(declaration=declaration)}["fee"]
    assert fee.warning and "Guidance only" in fee.message and "Portal default" in fee.message
    assert declaration.status == Declaration.Status.SUBMITTED  # not refused
    declaration_announce(
        declaration=declaration,
        announcement_number="CN2026OL000010",
        announced_on=dt.date(2026, 3, 9),
    )
    assert Deal.objects.count() == 0
