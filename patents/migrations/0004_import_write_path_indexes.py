"""Indexes the bulk import paid for on every row without a read path needing them.

1. Drop three ``varchar_pattern_ops`` ("_like") indexes no read path uses.

Django adds a pattern-ops twin to every indexed CharField on PostgreSQL so
``LIKE 'prefix%'`` can use an index. Nothing filters these three columns by
prefix or substring (publication and application numbers are looked up
exactly — the admin's ``=`` search is case-insensitive and cannot use either
index — and inventor names by equality), while the bulk import paid for an
insertion in each per patent and per inventor mention. The plain btree
indexes stay. Django only ever drops a "_like" index with IF EXISTS, so later
migrations of these fields are unaffected; re-add one with a migration if a
prefix search on the column appears.

2. ``InventorMention.region`` and ``Patent.import_job`` are NULL on nearly
every imported row (regions are filled by the talent app; command-line
imports have no job), yet each NULL was inserted into their indexes (two for
region: plain and "_like"). They become partial indexes on the non-NULL rows;
the region one keeps the pattern opclass, which serves both ``=`` and the
``LIKE '37%'`` a province filter uses (both imply NOT NULL, so the planner
uses the partial index).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (
    ("patents_patent", "publication_number", "patents_patent_publication_number_9ac6b731_like"),
    ("patents_patent", "application_number", "patents_patent_application_number_fecb9a36_like"),
    (
        "patents_inventormention",
        "normalized_name",
        "patents_inventormention_normalized_name_68f0a0c6_like",
    ),
)


# Replaced by the partial indexes below (all backends; SQLite has no "_like").
FK_INDEXES = (
    ("patents_inventormention", "region_id", "patents_inventormention_region_id_db0597c6"),
    ("patents_inventormention", "region_id", "patents_inventormention_region_id_db0597c6_like"),
    ("patents_patent", "import_job_id", "patents_patent_import_job_id_b2395e55"),
)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, index in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


def _restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, index in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}" varchar_pattern_ops)'
        )


def _drop_like_fk_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{FK_INDEXES[1][2]}"')


def _restore_like_fk_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table, column, index = FK_INDEXES[1]
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0003_child_patent_fk_covered_by_unique_index"),
    ]

    operations = [
        migrations.RunPython(_drop, _restore),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}")',
                )
                for table, column, index in FK_INDEXES
                if not index.endswith("_like")
            ]
            + [migrations.RunPython(_drop_like_fk_index, _restore_like_fk_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="inventormention",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="patents.region",
                    ),
                ),
                migrations.AlterField(
                    model_name="patent",
                    name="import_job",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="patents.importjob",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="inventormention",
            index=models.Index(
                condition=models.Q(region__isnull=False),
                fields=["region"],
                name="mention_region_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="patent",
            index=models.Index(
                condition=models.Q(import_job__isnull=False),
                fields=["import_job"],
                name="patent_import_job_idx",
            ),
        ),
    ]
