import datetime

import factory

from hilfenetz.media.models import Kind, MediaFile, MediaItem, Status
from hilfenetz.regions.tests.factories import DistrictFactory


class MediaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaItem
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"medium-{n}")
    kind = Kind.BROCHURE
    audiences = ",refugees,"
    status = Status.PUBLISHED
    published_on = datetime.date(2026, 1, 15)

    @factory.post_generation
    def title(obj, create, extracted, **kwargs):
        """``title="..."`` (German) or ``title={"fa": "...", "de": "..."}``."""
        if not create:
            return
        titles = extracted if isinstance(extracted, dict) else {"de": extracted or obj.slug}
        obj.translations = {language: {"title": text} for language, text in titles.items()}
        obj.save(update_fields=["translations"])
        from hilfenetz.media.services import reindex

        reindex(obj)


class MediaFileFactory(factory.django.DjangoModelFactory):
    """A file row pointing at a stored PDF (the content is not checked here)."""

    class Meta:
        model = MediaFile

    item = factory.SubFactory(MediaItemFactory)
    language = "de"
    file = factory.django.FileField(filename="brochure.pdf", data=b"%PDF-1.4 test")
    content_type = "application/pdf"
    size = 13
    pages = 1
