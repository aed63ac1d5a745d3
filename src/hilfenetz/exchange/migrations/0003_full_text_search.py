"""Full-text search: a functional GIN index on PostgreSQL, an FTS5 table on SQLite."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "listing_search_gin"


def _index():
    return GinIndex(
        SearchVector("title", "description", config="german"), name=INDEX_NAME
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("exchange", "Listing"), _index())
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS exchange_listing_fts "
            "USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("exchange", "Listing"), _index())
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS exchange_listing_fts")


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_start_categories")]
    operations = [migrations.RunPython(forwards, backwards)]
