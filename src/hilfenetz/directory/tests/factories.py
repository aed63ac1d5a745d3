import factory

from hilfenetz.directory.models import (
    CompetenceTeam,
    ContactPerson,
    Office,
    OrganisationProfile,
    TeamArea,
    TeamMember,
)
from hilfenetz.regions.tests.factories import DistrictFactory


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Koordinationsstelle {n}")
    slug = factory.Sequence(lambda n: f"koordinationsstelle-{n}")
    street = "Rathausplatz 1"
    postcode = "73000"
    city = "Hierdorf"
    phone = "0711 555-100"
    email = factory.Sequence(lambda n: f"stelle{n}@example.org")

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Kontakt Person {n}")
    function = "Koordination Ehrenamt"
    phone = "0711 555-101"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    is_official_function = True
    consent_given = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationProfile

    how_to_reach = "Montags im Gemeindehaus"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetenceTeam

    district = factory.SubFactory(DistrictFactory)
    area = TeamArea.HOUSING


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Mitglied {n}")
    consent_given = True
