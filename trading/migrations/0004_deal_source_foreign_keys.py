"""Deal.source_event_id / source_push_id (plain ids) become foreign keys to
operations_center.Event and matching.Push (SET_NULL).

Data-preserving: every id that names an existing event or push is kept as the
link. An id naming a row that no longer exists cannot be a foreign key; it is
dropped from the link and written into the deal's notes, so nothing is lost
silently. The legacy columns are dropped by 0005 (in its own transaction:
PostgreSQL refuses to alter a table with pending deferred-constraint checks).
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Deal = apps.get_model("trading", "Deal")
    Event = apps.get_model("operations_center", "Event")
    Push = apps.get_model("matching", "Push")
    deals = Deal.objects.filter(
        models.Q(legacy_source_event_id__isnull=False) | models.Q(legacy_source_push_id__isnull=False)
    )
    events = set(
        Event.objects.filter(
            pk__in=deals.exclude(legacy_source_event_id=None).values("legacy_source_event_id")
        ).values_list("pk", flat=True)
    )
    pushes = set(
        Push.objects.filter(
            pk__in=deals.exclude(legacy_source_push_id=None).values("legacy_source_push_id")
        ).values_list("pk", flat=True)
    )
    for deal in deals.iterator():
        lost = []
        event_id, push_id = deal.legacy_source_event_id, deal.legacy_source_push_id
        if event_id is not None:
            if event_id in events:
                deal.source_event_id = event_id
            else:
                lost.append(f"source event id {event_id}")
        if push_id is not None:
            if push_id in pushes:
                deal.source_push_id = push_id
            else:
                lost.append(f"source push id {push_id}")
        if lost:
            note = "[migration 0004] no longer exists, link dropped: " + ", ".join(lost)
            deal.notes = f"{deal.notes}\n{note}".strip()
        deal.save(update_fields=["source_event", "source_push", "notes"])


def copy_back(apps, schema_editor):
    Deal = apps.get_model("trading", "Deal")
    Deal.objects.update(
        legacy_source_event_id=models.F("source_event_id"),
        legacy_source_push_id=models.F("source_push_id"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("trading", "0003_partner_feed_fetch"),
        ("operations_center", "0002_patent_nav_dims_and_node_closure"),
        ("matching", "0001_needs_pushes_signals"),
    ]

    operations = [
        migrations.RenameField("deal", "source_event_id", "legacy_source_event_id"),
        migrations.RenameField("deal", "source_push_id", "legacy_source_push_id"),
        migrations.AddField(
            model_name="deal",
            name="source_event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deals",
                to="operations_center.event",
                verbose_name="source event",
            ),
        ),
        migrations.AddField(
            model_name="deal",
            name="source_push",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deals",
                to="matching.push",
                verbose_name="source push",
            ),
        ),
        migrations.RunPython(copy_links, copy_back),
    ]
