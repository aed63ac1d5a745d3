import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core import search
from hilfenetz.exchange.models import Category, Listing, Status
from hilfenetz.regions.tests.factories import MunicipalityFactory


def category(slug="sachspenden", *, district):
    """The category ``slug`` of ``district`` (a new district has the start categories; other
    slugs are created)."""
    return Category.objects.get_or_create(
        district=district, slug=slug, defaults={"name": slug.title()}
    )[0]


class ListingFactory(factory.django.DjangoModelFactory):
    """A published listing (bypasses the services; indexed for search all the same)."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    kind = "need"

    class Params:
        category_slug = "sachspenden"  # of the listing's district

    municipality = factory.SubFactory(MunicipalityFactory)
    category = factory.LazyAttribute(
        lambda o: category(o.category_slug, district=o.municipality.district)
    )
    language = "de"
    title = factory.Sequence(lambda n: f"Kinderwagen gesucht {n}")
    description = "Wir suchen einen gut erhaltenen Kinderwagen."
    author = factory.SubFactory(UserFactory)
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=21))

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        if create:
            search.index(obj)


def image_bytes(size=(64, 48), fmt="JPEG", exif=None, color=(200, 80, 40)) -> bytes:
    """A real image made with Pillow, optionally with EXIF data."""
    from PIL import Image

    out = io.BytesIO()
    extra = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(out, fmt, **extra)
    return out.getvalue()


def image_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")
