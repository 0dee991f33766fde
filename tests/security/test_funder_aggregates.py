"""What funders see of the KPI evidence (issue 15; docs/data-protection.md, "What funders
see"): counts, sums and non-confidential columns, never the parties of a deal, contract
or recordal numbers, or one deal's amount. Staff see them all."""

import datetime as dt

import pytest
from django.urls import reverse

from patents.models import Organization
from reporting.models import KpiDefinition
from tests.factories import OrganizationFactory, UserFactory
from tests.reporting.factories import ProjectFactory
from tests.trading.factories import granted_patent
from trading.services import deal_create

pytestmark = pytest.mark.django_db

# The amount KPI's figure is the sum over the period (an aggregate: with one deal it
# equals that deal's amount); the per-deal amount column is what stays hidden.
SECRETS = ("HT2026-SECRET-01", "2026370000321", "山东大学", "浪潮集团有限公司")


@pytest.fixture
def world():
    sdu = OrganizationFactory(name="山东大学", kind=Organization.Kind.UNIVERSITY)
    inspur = OrganizationFactory(name="浪潮集团有限公司", kind=Organization.Kind.ENTERPRISE)
    deal_create(
        kind="transfer",
        assignor=sdu,
        assignee=inspur,
        patents=[granted_patent(holder=sdu)],
        amount=1_234_567,
        status="recorded",
        signed_on=dt.date(2026, 3, 1),
        contract_number="HT2026-SECRET-01",
        recordal_number="2026370000321",
        recorded_on=dt.date(2026, 3, 20),
        programme_line="industry_operations",
    )
    funder = UserFactory(username="funder-agg", roles=["funder"])
    staff = UserFactory(username="staff-agg", roles=["centre_staff"])
    project = ProjectFactory(code="agg", programme_lines=["industry_operations"])
    project.funders.add(funder)
    return project, funder, staff


@pytest.mark.parametrize("code", ["l1-academic-patents", "l1-academic-amount"])
def test_funders_see_deal_evidence_without_parties_contracts_or_amounts(client, world, code):
    project, funder, staff = world
    assert KpiDefinition.objects.filter(code=code).exists()
    url = reverse("reporting:evidence", args=[project.pk, code])
    client.force_login(staff)
    staff_body = client.get(url, {"period": "2026"}).content.decode()
    assert "HT2026-SECRET-01" in staff_body and "浪潮集团有限公司" in staff_body
    client.force_login(funder)
    response = client.get(url, {"period": "2026"})
    assert response.status_code == 200
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, secret
    assert 'class="evidence-count">1<' in body  # the aggregate still shows
