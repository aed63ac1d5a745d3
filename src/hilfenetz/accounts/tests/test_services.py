import json

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hilfenetz.accounts import services
from hilfenetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    User,
)
from hilfenetz.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.predicates import allowed
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_creator_becomes_admin_of_a_new_organisation():
    person = UserFactory()
    municipality = MunicipalityFactory()
    organisation = services.create_organisation(
        person, name="Sprachcafé Hierdorf", kind="initiative", municipality=municipality
    )
    assert organisation.district == municipality.district
    assert allowed("organisation.manage", person, organisation)
    assert organisation.slug == "sprachcafe-hierdorf"
    again = services.create_organisation(
        person, name="Sprachcafé Hierdorf", kind="initiative", municipality=municipality
    )
    assert again.slug == "sprachcafe-hierdorf-2"


def test_join_request_is_accepted_by_an_admin_and_mailed():
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    organisation = admin.memberships.get().organisation
    person = UserFactory()
    membership = services.request_membership(person, organisation)
    assert membership.status == MembershipStatus.REQUESTED
    assert OutboundMail.objects.filter(to=admin.email).exists()
    with pytest.raises(ValidationError):
        services.request_membership(person, organisation)
    services.decide_request(admin, membership, accept=True)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert OutboundMail.objects.filter(to=person.email).exists()


def test_a_plain_member_cannot_decide_requests_or_invite():
    member = MembershipFactory().user
    organisation = member.memberships.get().organisation
    request = services.request_membership(UserFactory(), organisation)
    with pytest.raises(PermissionDenied):
        services.decide_request(member, request, accept=True)
    with pytest.raises(PermissionDenied):
        services.invite(member, organisation, "x@example.org")
    assert Membership.objects.get(pk=request.pk).status == MembershipStatus.REQUESTED


def test_coordinator_of_another_municipality_cannot_manage_an_organisation():
    organisation = OrganisationFactory()
    elsewhere = MunicipalityFactory(area__district=organisation.district)
    assert not allowed("organisation.manage", coordinator_of(municipality=elsewhere), organisation)
    assert allowed(
        "organisation.manage", coordinator_of(municipality=organisation.municipality), organisation
    )
    assert allowed(
        "organisation.manage", coordinator_of(district=organisation.district), organisation
    )


def test_invitation_of_an_existing_account_is_accepted():
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    organisation = admin.memberships.get().organisation
    invitee = UserFactory()
    membership = services.invite(admin, organisation, invitee.email.upper())
    assert membership.user == invitee and membership.status == MembershipStatus.INVITED
    services.accept_invitation(invitee, membership)
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.invite(admin, organisation, invitee.email)


def test_invitation_to_a_new_address_waits_for_the_confirmed_registration():
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    organisation = admin.memberships.get().organisation
    services.invite(admin, organisation, "newcomer@example.org")
    assert OutboundMail.objects.filter(to="newcomer@example.org").exists()
    newcomer = UserFactory(email="newcomer@example.org", verified=False)
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, primary=True)
    from allauth.account.signals import email_confirmed

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    membership = Membership.objects.get(organisation=organisation, user=newcomer)
    assert membership.status == MembershipStatus.INVITED


def test_the_last_admin_cannot_leave_or_be_demoted_while_others_remain():
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    organisation = admin.memberships.get().organisation
    member = MembershipFactory(organisation=organisation)
    with pytest.raises(ValidationError):
        services.leave(admin, organisation)
    with pytest.raises(ValidationError):
        services.set_role(admin, admin.memberships.get(), MembershipRole.MEMBER)
    services.set_role(admin, member, MembershipRole.ADMIN)
    services.leave(admin, organisation)
    assert not Membership.objects.filter(user=admin).exists()


def test_deleting_an_account_anonymises_it_and_hands_over_the_organisation():
    person = UserFactory(display_name="Karla")
    organisation = services.create_organisation(
        person, name="Kleiderkammer", kind="welfare", municipality=MunicipalityFactory()
    )
    successor = MembershipFactory(organisation=organisation).user
    services.delete_account(person)
    person.refresh_from_db()
    assert not person.is_active and person.deleted_at is not None
    assert person.display_name != "Karla" and "karla" not in person.email
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert successor.memberships.get().role == MembershipRole.ADMIN


def test_delete_view_asks_for_the_password_and_changes_nothing_without_it(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert User.objects.get(pk=person.pk).is_active
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=person.pk).is_active
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_export_contains_the_persons_data_and_nobody_elses(client):
    person = UserFactory(display_name="Mila")
    MembershipFactory(user=person)
    other = UserFactory(display_name="Someone Else")
    client.force_login(person)
    response = client.get(reverse("accounts:export"))
    data = json.loads(response.content)
    assert data["account"]["display_name"] == "Mila"
    assert len(data["account"]["memberships"]) == 1
    assert other.email not in response.content.decode()


def test_profile_saves_language_and_municipality(client):
    person = UserFactory()
    municipality = MunicipalityFactory()
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Neu", "preferred_language": "uk", "home_municipality": municipality.pk},
    )
    assert response.status_code == 302
    assert response.cookies["hilfenetz_language"].value == "uk"
    person.refresh_from_db()
    assert (person.display_name, person.preferred_language, person.home_municipality) == (
        "Neu",
        "uk",
        municipality,
    )


def test_profile_refuses_an_empty_name_and_keeps_the_old_one(client):
    person = UserFactory(display_name="Alt")
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "", "preferred_language": "de"}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.display_name == "Alt"


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    from hilfenetz import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert make_password("secret-password").startswith("argon2$")


def test_login_locks_out_after_five_failures(client):
    person = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": person.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _fail_logins(client, email, times, **headers):
    for _ in range(times):
        client.post(reverse("account_login"), {"login": email, "password": "wrong"}, **headers)


def test_a_forged_forwarded_for_does_not_escape_the_login_throttle(client, settings):
    settings.TRUSTED_PROXIES = 0
    person = UserFactory()
    for number in range(5):
        _fail_logins(client, person.email, 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_failures_lock_only_the_account_they_were_tried_on(client, settings):
    """All requests come from the proxy's address; wrong passwords for one account lock that
    account (from every address: the lock protects the account), never the proxy's other
    users."""
    settings.TRUSTED_PROXIES = 1
    person, colleague = UserFactory(), UserFactory()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail_logins(client, person.email, 5, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    for address in ("203.0.113.9", "198.51.100.7"):
        locked = client.post(
            reverse("account_login"),
            {"login": person.email, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=address,
            **proxy,
        )
        assert locked.status_code == 429
    response = client.post(
        reverse("account_login"),
        {"login": colleague.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_login_works_with_the_right_password(client):
    person = UserFactory()
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_password_reset_queues_a_mail_with_a_link(client, django_capture_on_commit_callbacks):
    from django.core import mail

    person = UserFactory(preferred_language="de")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    assert OutboundMail.objects.filter(to=person.email).exists()
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302


def test_an_organisation_moving_municipality_follows_into_the_new_district():
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    organisation = admin.memberships.get().organisation
    elsewhere = MunicipalityFactory()
    assert elsewhere.district != organisation.district
    services.update_organisation(admin, organisation, municipality=elsewhere, name="Neu")
    organisation.refresh_from_db()
    assert (organisation.name, organisation.district) == ("Neu", elsewhere.district)


def test_a_member_cannot_change_the_organisation():
    member = MembershipFactory().user
    organisation = member.memberships.get().organisation
    with pytest.raises(PermissionDenied):
        services.update_organisation(member, organisation, name="Gekapert")
    organisation.refresh_from_db()
    assert organisation.name != "Gekapert"


def test_edit_page_saves_through_the_service(client):
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    organisation = admin.memberships.get().organisation
    elsewhere = MunicipalityFactory()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:organisation_edit", args=[organisation.slug]),
        {"name": "Sprachtreff", "kind": "initiative", "municipality": elsewhere.pk},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.district) == ("Sprachtreff", elsewhere.district)
