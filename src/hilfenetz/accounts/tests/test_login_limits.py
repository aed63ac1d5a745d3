"""Wrong passwords lock the account they were tried on, not everyone behind the same address."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from hilfenetz import settings as project_settings
from hilfenetz.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOWN_HALL = "192.0.2.10"


@pytest.fixture(autouse=True)
def _production_limits(settings):
    # the test settings turn allauth's rate limits off; these tests are about them
    settings.ACCOUNT_RATE_LIMITS = project_settings.ACCOUNT_RATE_LIMITS


def log_in(email, password, address=TOWN_HALL):
    return Client(REMOTE_ADDR=address).post(
        reverse("account_login"), {"login": email, "password": password}
    )


def assert_logged_in(response):
    assert response.status_code == 302
    # a login leads to the welcome until it is over, then to the profile
    assert response["Location"] == reverse("engagement:start")


def assert_locked(response):
    assert response.status_code == 429
    assert "nach fünf falschen Passwörtern für 15 Minuten gesperrt" in response.content.decode()


def test_five_wrong_passwords_lock_that_account_but_not_a_colleague():
    a, b = UserFactory(verified=True), UserFactory(verified=True)
    answers = [log_in(a.email, "wrong-password-1").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth locks the account
    assert_logged_in(log_in(b.email, PASSWORD))
    assert_locked(log_in(a.email, PASSWORD))


def test_wrong_passwords_from_many_addresses_still_lock_the_account():
    a = UserFactory(verified=True)
    for number in range(5):
        log_in(a.email, "wrong-password-1", address=f"198.51.100.{number + 1}")
    assert_locked(log_in(a.email, PASSWORD, address="203.0.113.7"))


def test_an_office_of_fifty_behind_one_address_keeps_logging_in():
    """Forty people mistyping their password once or twice within a minute do not lock out
    the next one (the old limit was ten failures a minute per address)."""
    people = UserFactory.create_batch(40, verified=True)
    for person in people:
        for _ in range(2):
            assert log_in(person.email, "wrong-password-1").status_code == 200
    colleague = UserFactory(verified=True)
    assert_logged_in(log_in(colleague.email, PASSWORD))
    assert_logged_in(log_in(people[0].email, PASSWORD))


def test_an_address_with_more_than_a_hundred_failures_is_stopped():
    people = UserFactory.create_batch(26, verified=True)
    for person in people[:25]:
        for _ in range(4):
            log_in(person.email, "wrong-password-1")
    response = log_in(people[25].email, PASSWORD)
    assert response.status_code == 200  # the form again, with the reason
    with translation.override("de"):
        message = str(get_adapter().error_messages["too_many_login_attempts"])
    assert escape(message) in response.content.decode()
    assert_logged_in(log_in(people[25].email, PASSWORD, address="203.0.113.7"))
