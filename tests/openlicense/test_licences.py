import datetime as dt

import pytest
from django.core import mail

from openlicense.models import OpenLicence
from openlicense.selectors import annual_fee_reduction, open_licences_concluded_in_period
from openlicense.services import (
    OpenLicenceError,
    open_licence_conclude,
    open_licence_record_filing,
    open_licence_send_reminders,
)
from portal.models import UserProfile
from tests.factories import UserFactory, open_licence_paid
from trading.models import Deal
from trading.selectors import deal_patents_in_period, deals_in_period

pytestmark = pytest.mark.django_db


def test_conclude_pay_file_creates_one_deal_and_counts(announced, licensee, holder, patent):
    patentee = UserFactory(username="sdu-ip", email="ip@sdu.edu.cn")
    UserProfile.objects.create(user=patentee, organization=holder)
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    assert patent.publication_number in licence.notice_text
    with pytest.raises(OpenLicenceError, match="falls short"):
        open_licence_paid(licence=licence, amount=100, paid_on=dt.date(2026, 4, 3))
    open_licence_paid(
        licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3), reference="BANK-77"
    )
    assert licence.filing_due_on == dt.date(2026, 7, 3)
    deal = licence.deal
    assert deal.kind == Deal.Kind.OPEN_LICENCE and deal.assignor == holder
    assert deal.ends_on == dt.date(2029, 4, 3)
    period = {"start": dt.date(2026, 1, 1), "end": dt.date(2027, 1, 1)}
    assert list(open_licences_concluded_in_period(**period)) == [licence]
    assert list(deals_in_period(**period, kinds=["open_licence"])) == [deal]
    assert (
        deal_patents_in_period(
            **period, assignor_kinds=["university"], assignee_kinds=["enterprise"]
        ).count()
        == 1
    )

    eligible, _ = annual_fee_reduction(patent=patent, on=dt.date(2026, 5, 1))
    assert not eligible
    open_licence_record_filing(
        licence=licence, filing_number="BA2026370001", filed_on=dt.date(2026, 5, 6)
    )
    deal.refresh_from_db()
    assert deal.status == Deal.Status.RECORDED
    eligible, reason = annual_fee_reduction(patent=patent, on=dt.date(2026, 6, 1))
    assert eligible and "15%" in reason


def test_only_enterprises_and_not_the_patentee(announced, holder):
    with pytest.raises(OpenLicenceError, match="must be an enterprise"):
        open_licence_conclude(declaration=announced, licensee=holder)


def test_filing_reminders_sent_once_per_threshold(announced, licensee):
    user = UserFactory(email="ip@example.org")
    UserProfile.objects.create(user=user, organization=licensee)
    licence = open_licence_conclude(
        declaration=announced, licensee=licensee, notice_sent_on=dt.date(2026, 4, 1)
    )
    open_licence_paid(licence=licence, amount=20000, paid_on=dt.date(2026, 4, 3))
    assert open_licence_send_reminders(today=dt.date(2026, 5, 1)) == 0  # 63 days left
    assert open_licence_send_reminders(today=dt.date(2026, 6, 10)) == 1  # 23 days left
    assert open_licence_send_reminders(today=dt.date(2026, 6, 11)) == 0  # already reminded
    assert open_licence_send_reminders(today=dt.date(2026, 6, 30)) == 1  # 3 days left
    assert open_licence_send_reminders(today=dt.date(2026, 7, 10)) == 1  # overdue
    assert len(mail.outbox) == 3 and mail.outbox[0].to == ["ip@example.org"]
    licence.refresh_from_db()
    assert licence.reminders_sent == ["d30", "d7", "overdue"]
    assert licence.status == OpenLicence.Status.IN_FORCE
