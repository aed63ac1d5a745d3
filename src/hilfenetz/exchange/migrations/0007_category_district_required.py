import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Categories belong to a district (step 3 of 3): the district is required and a slug is
    unique within its district."""

    dependencies = [("exchange", "0006_categories_per_district")]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="categories",
                to="regions.district",
                verbose_name="district",
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(
                fields=("district", "slug"), name="category_unique_slug_per_district"
            ),
        ),
    ]
