import factory
from allauth.account.models import EmailAddress

from hilfenetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    User,
)
from hilfenetz.regions.models import CoordinatorRole
from hilfenetz.regions.tests.factories import MunicipalityFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    district = factory.SelfAttribute("municipality.district")
    name = factory.Sequence(lambda n: f"Helferkreis {n}")
    slug = factory.Sequence(lambda n: f"helferkreis-{n}")
    kind = OrganisationKind.WORKING_GROUP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
    status = MembershipStatus.ACTIVE


def coordinator_of(municipality=None, district=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    CoordinatorRole.objects.create(user=user, municipality=municipality, district=district)
    return user
