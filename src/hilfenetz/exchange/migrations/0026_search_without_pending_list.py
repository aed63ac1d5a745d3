"""PostgreSQL: the listings' search index takes a saved listing at once, not into a pending list
that every search reads too (2,000 listings saved since the last vacuum made a search 0.5-1.7 ms
slower at 100,000 listings)."""

from django.db import migrations

from hilfenetz.core import search


class Migration(migrations.Migration):
    dependencies = [("exchange", "0025_listing_area")]
    operations = [search.SearchWithoutPendingList("listing")]
