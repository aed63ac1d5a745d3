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


def pass_second_factor(client, user) -> None:
    """Log ``user`` in on the test ``client`` as a login with their authenticator app would: an
    administrator or district coordinator gets a TOTP authenticator (if missing) and the session
    counts as having passed it (see ``accounts/second_factor.py``). ``src/conftest.py`` does this
    on every ``force_login`` unless a test is marked ``without_second_factor``."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.http import HttpRequest

    from hilfenetz.accounts import second_factor

    fresh = User.objects.get(pk=user.pk)  # roles given after this login are not cached on user
    if not second_factor.is_required(fresh):
        return
    authenticator = (
        Authenticator.objects.filter(user=fresh, type=Authenticator.Type.TOTP).first()
        or TOTP.activate(fresh, generate_totp_secret()).instance
    )
    request = HttpRequest()
    request.session = client.session
    second_factor.mark_passed(request, authenticator)
    request.session.save()
