"""Groups for every role in portal.roles (0001 created the first three)."""

from django.db import migrations

ROLE_GROUPS = (
    "centre_staff",
    "centre_staff_industry_operations",
    "centre_staff_trading_hub",
    "centre_staff_talent",
    "reviewer",
    "broker",
    "enterprise",
    "patent_holder",
    "funder",
    "api_partner",
    "system_admin",
    "security_admin",
    "audit_admin",
)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_user_profile")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
