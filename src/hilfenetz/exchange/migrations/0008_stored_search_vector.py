"""Full-text search through the core backend: a stored search vector with a GIN index replaces
the functional index (PostgreSQL); the FTS5 table is rebuilt by the core operation (SQLite)."""

from django.db import migrations

from hilfenetz.core import search

FIELDS = ["title", "description"]
LEGACY_INDEX = "listing_search_gin"


def drop_legacy(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {LEGACY_INDEX}")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS exchange_listing_fts")


def restore_legacy(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {LEGACY_INDEX} ON exchange_listing USING gin "
            "(to_tsvector('german'::regconfig, COALESCE(title, '') || ' ' || "
            "COALESCE(description, '')))"
        )
    elif vendor == "sqlite":
        search.create_fts5(schema_editor, apps.get_model("exchange", "Listing"), FIELDS)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0007_category_district_required")]
    operations = [
        migrations.RunPython(drop_legacy, restore_legacy),
        search.AddSearchIndex("listing", FIELDS),
    ]
