"""The start categories every district gets (seeded by migration 0002)."""

from importlib import import_module

from django.apps import apps


def ensure_start_categories() -> None:
    """Put the start categories back where they are missing (an emptied test database,
    a district that deleted all of them), with the data the migration seeds."""
    Category = apps.get_model("exchange", "Category")
    if not Category.objects.exists():
        import_module("hilfenetz.exchange.migrations.0002_start_categories").seed(apps, None)
