"""The coordinator roles now belong to regions (see regions 0002); their table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("regions", "0002_coordinatorrole"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CoordinatorRole")],
            database_operations=[],
        ),
    ]
