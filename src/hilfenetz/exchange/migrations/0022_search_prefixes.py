"""Prefix indexes of the listings' full-text index (SQLite): a search for ``word*``."""

from django.db import migrations

from hilfenetz.core import search


class Migration(migrations.Migration):
    dependencies = [("exchange", "0021_alter_listing_language_alter_message_language")]
    operations = [search.SearchPrefixes("listing", ["title", "description"], "2 3 4")]
