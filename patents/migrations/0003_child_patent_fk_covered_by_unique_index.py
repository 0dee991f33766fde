"""Drop the single-column patent_id indexes of the three child tables.

Each table's (patent, …) unique constraint is backed by an index that starts
with patent_id, which serves every patent lookup (and the cascade on delete)
just as well; the extra index only cost an insertion per child row (~6.5 per
imported patent). Only the indexes are dropped: the foreign keys stay, so no
re-validation of large tables.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (
    ("patents_inventormention", "patents_inventormention_patent_id_640518f2"),
    ("patents_patentapplicant", "patents_patentapplicant_patent_id_a6551521"),
    ("patents_patentclassification", "patents_patentclassification_patent_id_4032ceda"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0002_search_documents_and_saved_searches"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("patent_id")',
                )
                for table, index in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="inventormention",
                    name="patent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="inventor_mentions",
                        to="patents.patent",
                    ),
                ),
                migrations.AlterField(
                    model_name="patentapplicant",
                    name="patent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applicant_links",
                        to="patents.patent",
                    ),
                ),
                migrations.AlterField(
                    model_name="patentclassification",
                    name="patent",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="classifications",
                        to="patents.patent",
                    ),
                ),
            ],
        ),
    ]
