from datetime import timedelta

import factory
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange import search
from hilfenetz.exchange.models import Category, Listing, Status
from hilfenetz.regions.tests.factories import MunicipalityFactory


def category(slug="sachspenden"):
    # get_or_create: transactional tests flush the categories the data migration seeded.
    return Category.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


class ListingFactory(factory.django.DjangoModelFactory):
    """A published listing (bypasses the services; indexed for search all the same)."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    kind = "need"
    category = factory.LazyFunction(category)
    municipality = factory.SubFactory(MunicipalityFactory)
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
            search.index_listing(obj)
