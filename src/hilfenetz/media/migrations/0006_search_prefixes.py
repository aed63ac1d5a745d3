"""Prefix indexes of the media centre's full-text index (SQLite): a search for ``word*``."""

from django.db import migrations

from hilfenetz.core import search


class Migration(migrations.Migration):
    dependencies = [("media", "0005_alter_caption_language_alter_mediafile_language")]
    operations = [search.SearchPrefixes("mediaitem", ["search_text"], "2 3 4")]
