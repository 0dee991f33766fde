"""TrainingSession.event and TalentProject.deals are real links; the migration
keeps the old plain ids that name existing rows and audits the ones that do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.migrations_at import targets_before

BEFORE = ("talent", "0002_supply_item_per_listing_patent")
AFTER = ("talent", "0004_drop_legacy_link_ids")


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_existing_ids_as_links_and_audits_dangling_ones():
    executor = MigrationExecutor(connection)
    before = targets_before(executor.loader, *BEFORE)
    after = targets_before(executor.loader, *AFTER)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Organization = old.get_model("patents", "Organization")
    Event = old.get_model("operations_center", "Event")
    Deal = old.get_model("trading", "Deal")
    Course = old.get_model("talent", "Course")
    Session = old.get_model("talent", "TrainingSession")
    Talent = old.get_model("talent", "Talent")
    Project = old.get_model("talent", "TalentProject")

    a = Organization.objects.create(name="山东大学", normalized_name="山东大学", kind="university")
    b = Organization.objects.create(
        name="济南某公司", normalized_name="济南某公司", kind="enterprise"
    )
    event = Event.objects.create(
        kind="training",
        title="技术经理人培训",
        starts_at=timezone.now(),
        place="济南",
        organizer="中心",
    )
    deal = Deal.objects.create(kind="transfer", status="signed", assignor=a, assignee=b, amount=1)
    course = Course.objects.create(title="技术经理人实务")
    day = dt.date(2026, 5, 1)
    linked = Session.objects.create(course=course, starts_on=day, ends_on=day, event_id=event.pk)
    dangling = Session.objects.create(
        course=course, starts_on=day, ends_on=day, event_id=event.pk + 1000
    )
    talent = Talent.objects.create(display_name="张伟")
    project = Project.objects.create(
        talent=talent, title="项目落地济南", deal_ids=[deal.pk, deal.pk + 1000]
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    NewSession = new.get_model("talent", "TrainingSession")
    NewProject = new.get_model("talent", "TalentProject")
    AuditEvent = new.get_model("portal", "AuditEvent")
    assert NewSession.objects.get(pk=linked.pk).event_id == event.pk
    assert NewSession.objects.get(pk=dangling.pk).event_id is None
    assert list(NewProject.objects.get(pk=project.pk).deals.values_list("pk", flat=True)) == [
        deal.pk
    ]
    dropped = {
        (e.target_type, e.target_id, e.details["dropped"])
        for e in AuditEvent.objects.filter(action="migration.link_dropped")
    }
    assert dropped == {
        ("talent.trainingsession", str(dangling.pk), f"event {event.pk + 1000}"),
        ("talent.talentproject", str(project.pk), f"deals [{deal.pk + 1000}]"),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
