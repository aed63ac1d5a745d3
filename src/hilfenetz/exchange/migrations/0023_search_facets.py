"""Category and municipality in the listings' full-text index (SQLite): a search with these
filters walks only the matches that have them."""

from django.db import migrations

from hilfenetz.core import search


class Migration(migrations.Migration):
    dependencies = [("exchange", "0022_search_prefixes")]
    operations = [
        search.SearchFacets(
            "listing",
            ["title", "description"],
            ["category_id", "municipality_id"],
            "2 3 4",
            "sqlite",
        )
    ]
