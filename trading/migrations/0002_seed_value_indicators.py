from django.db import migrations

# A frozen copy of trading.services.valuation.DEFAULT_INDICATORS at the time of
# this migration; staff edit weights and bands in the admin afterwards.
INDICATORS = [('legal_status',
  'legal',
  'Legal status',
  15,
  {'default': 0, 'map': {'granted': 100, 'pending': 40}}),
 ('remaining_term',
  'legal',
  'Remaining term (years)',
  10,
  {'bands': [[0, 0], [3, 40], [8, 70], [12, 100]]}),
 ('claim_count', 'legal', 'Claim count', 10, {'bands': [[1, 30], [5, 60], [10, 85], [20, 100]]}),
 ('patent_type',
  'legal',
  'Patent type',
  5,
  {'default': 30, 'map': {'design': 40, 'invention': 100, 'utility_model': 60}}),
 ('ipc_breadth',
  'technical',
  'IPC breadth (subclasses)',
  10,
  {'bands': [[1, 40], [2, 70], [4, 100]]}),
 ('citations',
  'technical',
  'Forward citations',
  15,
  {'bands': [[0, 10], [1, 40], [5, 70], [20, 100]]}),
 ('family_size', 'technical', 'Family size', 10, {'bands': [[1, 30], [3, 60], [8, 100]]}),
 ('holder_kind',
  'economic',
  'Holder kind',
  5,
  {'default': 30, 'map': {'enterprise': 80, 'individual': 40, 'institute': 60, 'university': 60}}),
 ('deal_history',
  'economic',
  'Licensing and deal history',
  10,
  {'bands': [[0, 20], [1, 70], [3, 100]]}),
 ('chain_market', 'economic', 'Market of the chain node', 10, {'map': {}, 'prefix': True})]


def seed(apps, schema_editor):
    ValueIndicator = apps.get_model("trading", "ValueIndicator")
    for code, dimension, name, weight, params in INDICATORS:
        ValueIndicator.objects.get_or_create(
            code=code,
            defaults={"dimension": dimension, "name": name, "weight": weight, "params": params},
        )


class Migration(migrations.Migration):
    dependencies = [("trading", "0001_deals_listings_directory")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
