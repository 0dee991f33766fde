from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("trading", "0004_deal_source_foreign_keys")]

    operations = [
        migrations.RemoveField("deal", "legacy_source_event_id"),
        migrations.RemoveField("deal", "legacy_source_push_id"),
    ]
