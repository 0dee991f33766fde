"""Personal data the probe read without a right to it (issue 24, low findings)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patents.models import Organization
from trading.api.feed import FeedDealSerializer, FeedListingSerializer
from trading.models import Deal, Listing


def test_the_partner_feed_names_no_natural_person_and_no_contract_number():
    person = Organization(name="张三", kind=Organization.Kind.INDIVIDUAL, uscc=None)
    company = Organization(name="山东某公司", kind=Organization.Kind.ENTERPRISE)
    deal = Deal(assignor=person, assignee=company, contract_number="HT-2026-0042")
    serializer = FeedDealSerializer()
    assert serializer.get_assignor(deal)["name"] == ""
    assert serializer.get_assignee(deal)["name"] == "山东某公司"
    assert serializer.get_contract_number(deal) == ""
    assert FeedListingSerializer().get_holder(Listing(holder=person))["name"] == ""


@pytest.mark.django_db
def test_the_public_objection_page_does_not_show_the_talents_name(client):
    from talent.models import Talent

    talent = Talent.objects.create(display_name="李四发明人")
    response = client.get(reverse("talent:objection", args=[talent.pk]))
    assert response.status_code == 200
    assert "李四发明人" not in response.content.decode()


@pytest.mark.django_db
def test_kpi_evidence_of_another_programme_line_is_refused_to_line_staff(client):
    """Programme-line separation was bypassed through the reporting evidence pages."""
    from portal.programme import ProgrammeLine
    from portal.roles import Role
    from tests.factories import UserFactory
    from tests.reporting.factories import KpiDefinitionFactory, ProjectFactory

    project = ProjectFactory(
        code="two-lines",
        programme_lines=[ProgrammeLine.TALENT.value, ProgrammeLine.TRADING_HUB.value],
    )
    kpi = KpiDefinitionFactory(code="sep-kpi", programme_line=ProgrammeLine.TRADING_HUB.value)
    url = reverse("reporting:evidence", args=[project.pk, kpi.code])
    client.force_login(UserFactory(username="talent_staff", roles=[Role.STAFF_TALENT]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="trading_staff", roles=[Role.STAFF_TRADING_HUB]))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_admin_refuses_another_programme_lines_app_to_line_staff(client):
    """Programme-line separation was bypassed through the admin."""
    from portal.roles import Role
    from tests.factories import UserFactory

    talent = UserFactory(username="talent_staff", is_staff=True, roles=[Role.STAFF_TALENT])
    client.force_login(talent)
    assert client.get("/admin/trading/listing/").status_code == 403
    assert client.get("/admin/talent/talent/").status_code == 200
    assert "/admin/trading/" not in client.get("/admin/").content.decode()
    trading = UserFactory(username="trading_staff", is_staff=True, roles=[Role.STAFF_TRADING_HUB])
    client.force_login(trading)
    assert client.get("/admin/trading/listing/").status_code == 200


@pytest.mark.django_db
def test_a_non_numeric_mention_in_talent_correction_is_bad_input_not_a_500(client):
    from portal.roles import Role
    from talent.models import Talent
    from tests.factories import UserFactory

    talent = Talent.objects.create(display_name="王五")
    client.force_login(UserFactory(username="talent_staff", roles=[Role.STAFF_TALENT]))
    url = reverse("talent:correct", args=[talent.pk, "move"])
    response = client.post(url, {"mention": "abc", "target": talent.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:profile", args=[talent.pk])
