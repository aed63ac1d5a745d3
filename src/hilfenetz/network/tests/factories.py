from datetime import timedelta

import factory
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.network.models import Meeting, MeetingStatus, Platform
from hilfenetz.regions.tests.factories import MunicipalityFactory


def platform(district, slug="engagement-ehrenamt") -> Platform:
    """One of the six platforms every district starts with."""
    return Platform.objects.get(district=district, slug=slug)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting whose invitations went out, in two weeks (bypasses the services)."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    platform = factory.LazyAttribute(lambda o: platform(o.municipality.district))
    title = factory.Sequence(lambda n: f"Austauschtreffen {n}")
    description = "Wir tauschen Erfahrungen aus."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=14)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    address = "Rathaus, Marktplatz 1"
    meeting_languages = ["de"]
    status = MeetingStatus.INVITED

    @factory.post_generation
    def places(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(extracted or [obj.municipality])

    @factory.post_generation
    def organisers(obj, create, extracted, **kwargs):
        if create:
            obj.organisers.set(extracted or [UserFactory()])
