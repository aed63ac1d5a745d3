"""Category and municipality in the listings' search vector (PostgreSQL), as lexemes marked
with "#" (core.search.FACET_MARK): a search with these filters reads only the matches that have
them. SQLite's index has had them since 0023."""

from django.db import migrations

from hilfenetz.core import search

FIELDS, FACETS = ["title", "description"], ["category_id", "municipality_id"]


class Migration(migrations.Migration):
    dependencies = [("exchange", "0023_search_facets")]
    operations = [search.SearchFacets("listing", FIELDS, FACETS, "2 3 4", "postgresql")]
