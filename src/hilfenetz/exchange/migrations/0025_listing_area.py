"""A listing keeps its municipality's area, and the search index has it as a facet of its own
(both databases): a search in an area reads one list of rows instead of merging the lists of
its municipalities (PostgreSQL: 14.7 ms for the 18 of the largest area, where one word's list
took 3.3)."""

import django.db.models.deletion
from django.db import migrations, models

from hilfenetz.core import search

FIELDS, BEFORE = ["title", "description"], ["category_id", "municipality_id"]
FACETS = [*BEFORE, "area_id"]


def fill(apps, schema_editor):
    apps.get_model("exchange", "Listing").objects.update(
        area=models.Subquery(
            apps.get_model("regions", "Municipality")
            .objects.filter(pk=models.OuterRef("municipality"))
            .values("area")
        )
    )


def area(null: bool):
    return models.ForeignKey(
        blank=True,
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="regions.area",
        verbose_name="area",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0024_search_facets_postgresql"),
        ("regions", "0001_initial"),
    ]
    operations = [
        # added empty, filled, then required: the rows have no area before the fill
        migrations.AddField(model_name="listing", name="area", field=area(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(model_name="listing", name="area", field=area(null=False)),
        search.SearchFacets("listing", FIELDS, FACETS, "2 3 4", "sqlite", previous=BEFORE),
        search.SearchFacets("listing", FIELDS, FACETS, "2 3 4", "postgresql", previous=BEFORE),
    ]
