from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("talent", "0003_session_event_and_project_deals_foreign_keys")]

    operations = [
        migrations.RemoveField("trainingsession", "legacy_event_id"),
        migrations.RemoveField("talentproject", "legacy_deal_ids"),
    ]
