import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_needs_pushes_signals"),
    ]

    operations = [
        migrations.AlterField(
            model_name="matchweights",
            name="ipc",
            field=models.FloatField(
                default=0.3,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="shared IPC",
            ),
        ),
    ]
