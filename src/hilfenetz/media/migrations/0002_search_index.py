"""Full-text index over the titles, descriptions and transcripts of every language."""

from django.db import migrations

from hilfenetz.core import search


class Migration(migrations.Migration):
    dependencies = [("media", "0001_initial")]
    operations = [search.AddSearchIndex("mediaitem", ["search_text"])]
