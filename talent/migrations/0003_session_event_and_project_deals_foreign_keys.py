"""TrainingSession.event_id (plain id) becomes a foreign key to
operations_center.Event (SET_NULL); TalentProject.deal_ids (a JSON list)
becomes a many-to-many to trading.Deal.

Data-preserving: every id naming an existing event or deal is kept as the link.
An id naming a row that no longer exists cannot be a foreign key; it is dropped
from the link and written to the append-only audit log (action
``migration.link_dropped``), so nothing is lost silently. The legacy columns go
in 0004, in its own transaction (PostgreSQL refuses to alter a table with
pending deferred-constraint checks).
"""

import django.db.models.deletion
from django.db import migrations, models


def _dropped(AuditEvent, target_type, target_id, what):
    AuditEvent.objects.create(
        actor_label="migration talent.0003",
        action="migration.link_dropped",
        target_type=target_type,
        target_id=str(target_id),
        details={"dropped": what, "reason": "the linked record no longer exists"},
    )


def copy_links(apps, schema_editor):
    Session = apps.get_model("talent", "TrainingSession")
    Project = apps.get_model("talent", "TalentProject")
    Event = apps.get_model("operations_center", "Event")
    Deal = apps.get_model("trading", "Deal")
    AuditEvent = apps.get_model("portal", "AuditEvent")

    sessions = Session.objects.exclude(legacy_event_id=None)
    events = set(
        Event.objects.filter(pk__in=sessions.values("legacy_event_id")).values_list(
            "pk", flat=True
        )
    )
    for session in sessions.iterator():
        if session.legacy_event_id in events:
            session.event_id = session.legacy_event_id
            session.save(update_fields=["event"])
        else:
            _dropped(AuditEvent, "talent.trainingsession", session.pk, f"event {session.legacy_event_id}")

    for project in Project.objects.exclude(legacy_deal_ids=[]).iterator():
        wanted = [int(i) for i in project.legacy_deal_ids or [] if str(i).isdigit()]
        found = set(Deal.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        project.deals.add(*found)
        lost = [i for i in project.legacy_deal_ids or [] if not str(i).isdigit() or int(i) not in found]
        if lost:
            _dropped(AuditEvent, "talent.talentproject", project.pk, f"deals {lost}")


def copy_back(apps, schema_editor):
    Session = apps.get_model("talent", "TrainingSession")
    Project = apps.get_model("talent", "TalentProject")
    Session.objects.update(legacy_event_id=models.F("event_id"))
    for project in Project.objects.prefetch_related("deals"):
        project.legacy_deal_ids = sorted(d.pk for d in project.deals.all())
        project.save(update_fields=["legacy_deal_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0002_supply_item_per_listing_patent"),
        ("operations_center", "0003_tag_bulk_write"),
        ("trading", "0006_policy_summary_dates_search"),
        ("portal", "0006_alter_consentrecord_subject_reference"),
    ]

    operations = [
        migrations.RenameField("trainingsession", "event_id", "legacy_event_id"),
        migrations.AddField(
            model_name="trainingsession",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="training_sessions",
                to="operations_center.event",
                verbose_name="event",
            ),
        ),
        migrations.RenameField("talentproject", "deal_ids", "legacy_deal_ids"),
        migrations.AddField(
            model_name="talentproject",
            name="deals",
            field=models.ManyToManyField(
                blank=True, related_name="talent_projects", to="trading.deal", verbose_name="deals"
            ),
        ),
        migrations.RunPython(copy_links, copy_back),
    ]
