"""PostgreSQL: the media centre's search index takes a saved item at once, not into a pending list
that every search reads too (as the help exchange's, exchange migration 0026)."""

from django.db import migrations

from hilfenetz.core import search


class Migration(migrations.Migration):
    dependencies = [("media", "0006_search_prefixes")]
    operations = [search.SearchWithoutPendingList("mediaitem")]
