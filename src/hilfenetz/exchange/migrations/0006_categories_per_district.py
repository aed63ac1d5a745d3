"""Categories belong to a district (step 2 of 3): every district gets its own copy of each
installation-wide category; listings and saved searches point to the copy of their district.

Self-contained on purpose: migrations must not import app code that may change later."""

from django.db import migrations
from django.db.models import Q

COPIED_FIELDS = ("slug", "name", "translations", "position", "is_active")


def _district_of_search(district_id):
    """Saved searches of a district: by their municipality, else their area, else the home
    municipality of the person who saved them."""
    return (
        Q(municipality__district_id=district_id)
        | Q(municipality__isnull=True, area__district_id=district_id)
        | Q(
            municipality__isnull=True,
            area__isnull=True,
            user__home_municipality__district_id=district_id,
        )
    )


def split_per_district(apps, schema_editor):
    Category = apps.get_model("exchange", "Category")
    District = apps.get_model("regions", "District")
    Listing = apps.get_model("exchange", "Listing")
    SavedSearch = apps.get_model("exchange", "SavedSearch")
    district_ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    if district_ids:
        first, others = district_ids[0], district_ids[1:]
        for original in Category.objects.filter(district__isnull=True).order_by("pk"):
            # The first district keeps the original row (and its listings); the others get
            # copies, and their listings and saved searches move to them.
            for district_id in others:
                copy = Category.objects.create(
                    district_id=district_id,
                    **{name: getattr(original, name) for name in COPIED_FIELDS},
                )
                Listing.objects.filter(
                    category=original, municipality__district_id=district_id
                ).update(category=copy)
                SavedSearch.objects.filter(
                    Q(category=original) & _district_of_search(district_id)
                ).update(category=copy)
            original.district_id = first
            original.save(update_fields=["district"])
    # Categories of an installation without districts: no listing can use them.
    Category.objects.filter(district__isnull=True).delete()


def merge_back(apps, schema_editor):
    """Back to one installation-wide category per slug: the oldest row of each slug stays,
    listings and saved searches of the others move to it."""
    Category = apps.get_model("exchange", "Category")
    Listing = apps.get_model("exchange", "Listing")
    SavedSearch = apps.get_model("exchange", "SavedSearch")
    kept = {}
    for category in Category.objects.order_by("pk"):
        keep = kept.setdefault(category.slug, category)
        if keep.pk != category.pk:
            Listing.objects.filter(category=category).update(category=keep)
            SavedSearch.objects.filter(category=category).update(category=keep)
            category.delete()
    Category.objects.update(district=None)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0005_category_district"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(split_per_district, merge_back)]
