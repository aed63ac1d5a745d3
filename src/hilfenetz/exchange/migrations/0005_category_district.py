import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Categories belong to a district (step 1 of 3): the district, nullable for now; the slug
    is no longer unique on its own, so that every district can have its own copy."""

    dependencies = [
        ("exchange", "0004_photos_embedding_contact_consent"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="categories",
                to="regions.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="category",
            name="slug",
            field=models.SlugField(max_length=60, verbose_name="slug"),
        ),
    ]
