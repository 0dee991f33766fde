"""Deal.source_event / source_push are foreign keys; the migration keeps the old ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from matching.models import Push
from operations_center.models import Event
from tests.migrations_at import targets_before
from trading.models import Deal
from trading.services import TradingError, deal_create

from .factories import enterprise, granted_patent, university


def _event():
    return Event.objects.create(
        kind=Event.Kind.MATCHMAKING,
        title="黄河流域专利技术供需对接会",
        starts_at=timezone.now(),
        place="济南",
        organizer="山东省知识产权事业发展中心",
    )


def _deal(**kwargs):
    holder = university(name="山东大学")
    return deal_create(
        kind="transfer",
        assignor=holder,
        assignee=enterprise(),
        patents=[granted_patent(holder=holder)],
        amount=500000,
        status="signed",
        signed_on=dt.date(2026, 11, 2),
        **kwargs,
    )


@pytest.mark.django_db
def test_deal_links_its_event_and_push_and_survives_their_deletion():
    event = _event()
    push = Push.objects.create(
        organization=enterprise(name="济南某机械有限公司"),
        channel="email",
        programme_line="trading_hub",
    )
    deal = _deal(source_event_id=event.pk, source_push_id=push.pk)
    assert deal.source_event == event and deal.source_push == push
    assert list(event.deals.all()) == [deal] and list(push.deals.all()) == [deal]
    event.delete()
    push.delete()
    deal.refresh_from_db()
    assert deal.source_event is None and deal.source_push is None


@pytest.mark.django_db
def test_unknown_event_or_push_is_refused_with_a_message():
    with pytest.raises(TradingError, match="No event with id 999999"):
        _deal(source_event_id=999999)
    with pytest.raises(TradingError, match="No push with id 888888"):
        _deal(source_push_id=888888)
    assert not Deal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_existing_ids_as_links_and_notes_dangling_ones():
    executor = MigrationExecutor(connection)
    before = targets_before(executor.loader, "trading", "0003_partner_feed_fetch")
    after = targets_before(executor.loader, "trading", "0005_drop_legacy_deal_source_ids")
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Organization = old.get_model("patents", "Organization")
    OldDeal = old.get_model("trading", "Deal")
    OldEvent = old.get_model("operations_center", "Event")
    OldPush = old.get_model("matching", "Push")
    a = Organization.objects.create(name="山东大学", normalized_name="山东大学", kind="university")
    b = Organization.objects.create(
        name="山东黄河河务局供水局", normalized_name="山东黄河河务局供水局", kind="enterprise"
    )
    event = OldEvent.objects.create(
        kind="matchmaking", title="对接会", starts_at=timezone.now(), place="济南", organizer="中心"
    )
    push = OldPush.objects.create(
        organization=b, channel="email", programme_line="trading_hub", token="t-migration-1"
    )
    common = {"kind": "transfer", "status": "signed", "assignor": a, "assignee": b, "amount": 1}
    linked = OldDeal.objects.create(
        source_event_id=event.pk, source_push_id=push.pk, notes="原有备注", **common
    )
    dangling = OldDeal.objects.create(
        source_event_id=event.pk + 1000, source_push_id=None, **common
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    NewDeal = new.get_model("trading", "Deal")
    kept = NewDeal.objects.get(pk=linked.pk)
    assert (kept.source_event_id, kept.source_push_id) == (event.pk, push.pk)
    assert kept.notes == "原有备注"
    lost = NewDeal.objects.get(pk=dangling.pk)
    assert lost.source_event_id is None
    assert f"source event id {event.pk + 1000}" in lost.notes

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
