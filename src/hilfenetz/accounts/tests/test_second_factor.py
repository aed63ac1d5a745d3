"""Administrators and district coordinators must pass a second factor; others may."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    hotp_value,
)
from django.urls import reverse

from hilfenetz.accounts.tests.factories import PASSWORD, UserFactory, coordinator_of
from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:second_factor_required")
SECRET = "HILFENETZTESTSECRET234HILFENETZ2"


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _admin():
    return UserFactory(is_superuser=True, is_staff=True)


def _district_coordinator():
    return coordinator_of(district=DistrictFactory())


def _protected_pages():
    return ["/admin/", reverse("exchange:statistics_csv"), reverse("accounts:profile")]


@pytest.mark.without_second_factor
@pytest.mark.parametrize("make", [_admin, _district_coordinator], ids=["admin", "district"])
def test_without_a_second_factor_every_page_leads_to_the_set_up(client, make):
    client.force_login(make())
    for path in _protected_pages():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SET_UP, path
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert f'href="{reverse("mfa_activate_totp")}"' in page.content.decode()
    # The set-up itself, logging out, files, the language switch and healthz stay reachable.
    assert client.get(reverse("mfa_activate_totp"))["Location"] != SET_UP
    assert client.get("/healthz").status_code == 200
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.without_second_factor
def test_an_app_set_up_but_not_passed_in_this_session_asks_for_a_code(client):
    admin = _admin()
    TOTP.activate(admin, SECRET)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert "next=%2Fadmin%2F" in response["Location"]
    client.post(reverse("mfa_reauthenticate"), {"code": _code(SECRET)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.without_second_factor
@pytest.mark.django_db(transaction=True)  # allauth announces the new app after commit
def test_setting_up_the_app_gives_recovery_codes_and_opens_the_admin(client):
    coordinator = _district_coordinator()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    assert client.get(reverse("exchange:statistics_csv"))["Location"] == SET_UP
    # allauth asks for the password again before adding a factor (exempt from the redirect).
    reauthenticate = client.get(reverse("mfa_activate_totp"))
    assert reauthenticate["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(
        user=coordinator, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("exchange:statistics_csv")).status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("make", [_admin, _district_coordinator], ids=["admin", "district"])
def test_with_the_second_factor_passed_they_reach_admin_and_exports(client, make):
    client.force_login(make())  # the conftest passes the second factor
    for path in _protected_pages():
        assert client.get(path).status_code == 200, path


@pytest.mark.without_second_factor
def test_volunteers_and_municipal_coordinators_are_not_forced(client):
    for person in (UserFactory(), coordinator_of(municipality=MunicipalityFactory())):
        client.force_login(person)
        assert client.get(reverse("accounts:profile")).status_code == 200
        assert client.get(SET_UP)["Location"] == reverse("mfa_index")


def _reset_url(person):
    return reverse("accounts:second_factor_reset", args=[person.pk])


def test_a_district_coordinator_cannot_reset_a_second_factor(client):
    person = _admin()
    TOTP.activate(person, SECRET)
    client.force_login(_district_coordinator())
    assert client.post(_reset_url(person)).status_code == 403
    assert Authenticator.objects.filter(user=person).exists()
    assert not AuditEntry.objects.filter(action="second_factor_reset").exists()
    assert not OutboundMail.objects.exists()


def test_an_administrator_resets_a_second_factor_after_confirming(client):
    person = _district_coordinator()
    TOTP.activate(person, SECRET)
    admin = _admin()
    client.force_login(admin)
    page = client.get(_reset_url(person))
    assert page.status_code == 200
    assert Authenticator.objects.filter(user=person).exists()  # showing never resets
    response = client.post(_reset_url(person))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    entry = AuditEntry.objects.for_object(person).get(action="second_factor_reset")
    assert entry.actor == admin
    mail = OutboundMail.objects.get(to=person.email)  # in their language (German here)
    assert "zweiter Faktor" in mail.subject


@pytest.mark.without_second_factor
def test_after_a_reset_the_person_must_set_it_up_anew_even_in_an_open_session(client):
    from hilfenetz.accounts import second_factor
    from hilfenetz.accounts.tests.factories import pass_second_factor

    person = _district_coordinator()
    client.force_login(person)
    pass_second_factor(client, person)
    assert client.get("/admin/").status_code == 200
    second_factor.reset(_admin(), person)
    assert client.get("/admin/")["Location"] == SET_UP
