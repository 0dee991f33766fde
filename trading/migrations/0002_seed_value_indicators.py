from django.db import migrations


def seed(apps, schema_editor):
    from trading.services.valuation import DEFAULT_INDICATORS

    ValueIndicator = apps.get_model("trading", "ValueIndicator")
    for code, dimension, name, weight, params in DEFAULT_INDICATORS:
        ValueIndicator.objects.get_or_create(
            code=code,
            defaults={"dimension": dimension, "name": name, "weight": weight, "params": params},
        )


class Migration(migrations.Migration):
    dependencies = [("trading", "0001_deals_listings_directory")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
