"""Bulk reassignment of counted records to another programme line, audited (issue 15)."""

import datetime as dt

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from portal.programme_lines import programme_line_reassign
from tests.factories import UserFactory
from tests.trading.factories import enterprise, granted_patent, university
from trading.models import Deal
from trading.services import deal_create

pytestmark = pytest.mark.django_db


def _deals(n):
    sdu = university(name="山东大学")
    return [
        deal_create(
            kind="transfer",
            assignor=sdu,
            assignee=enterprise(name=f"浪潮{i}号有限公司"),
            patents=[granted_patent(holder=sdu)],
            amount=1000,
            status="signed",
            signed_on=dt.date(2026, 3, 1),
        )
        for i in range(n)
    ]


def test_reassign_moves_records_and_audits_each_one():
    deals = _deals(3)
    staff = UserFactory(username="reassigner", roles=["centre_staff"])
    changed = programme_line_reassign(
        records=Deal.objects.filter(pk__in=[d.pk for d in deals[:2]]),
        line="industry_operations",
        actor=staff,
        reason="高校院所转让归属产业运营线",
    )
    assert changed == 2
    assert sorted(Deal.objects.values_list("programme_line", flat=True)) == [
        "industry_operations",
        "industry_operations",
        "trading_hub",
    ]
    events = AuditEvent.objects.filter(target_type="trading.deal", actor=staff)
    assert events.count() == 2
    assert {e.details["from"] for e in events} == {"trading_hub"}
    assert {e.details["to"] for e in events} == {"industry_operations"}


def test_the_admin_action_reassigns_in_bulk(client):
    deals = _deals(2)
    admin_user = UserFactory(
        username="admin-reassign", roles=["centre_staff"], is_staff=True, is_superuser=True
    )
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:trading_deal_changelist"),
        {"action": "reassign_to_talent", "_selected_action": [d.pk for d in deals]},
    )
    assert response.status_code in (200, 302)
    assert set(Deal.objects.values_list("programme_line", flat=True)) == {"talent"}
    assert AuditEvent.objects.filter(target_type="trading.deal").count() == 2
