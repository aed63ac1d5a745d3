"""The second factor (allauth MFA: an authenticator app's TOTP code, with recovery codes).

Administrators and district coordinators reach the admin, consent records with names and
phone numbers, and exports: they must have set up a TOTP authenticator, and each of their
sessions must have passed it (:class:`SecondFactorMiddleware` enforces both on every page).
For everyone else it stays optional. An administrator can reset someone's second factor
(:func:`reset`): the person then has to set it up anew.
"""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from hilfenetz.core import audit, page_cache
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.core.roles import is_administrator, is_district_coordinator

#: Who must use a second factor.
REQUIRED_FOR = is_administrator | is_district_coordinator

audit.define_actions(second_factor_reset=_("second factor reset"))


def is_required(user) -> bool:
    return user.is_authenticated and REQUIRED_FOR(user, None)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed(request: HttpRequest) -> bool:
    """This session passed one of the user's current authenticators (allauth records each step
    of a login in the session; a reset deletes the authenticators, so a session that passed
    a deleted one no longer counts)."""
    ids = {
        entry.get("id")
        for entry in get_authentication_records(request, request.user)
        if entry.get("method") == "mfa"
    }
    return bool(ids & current_authenticators(request.user))


def current_authenticators(user) -> frozenset[int]:
    """The ids of the user's authenticators (kept per data version: asked on every page of an
    administrator or district coordinator)."""
    return page_cache.per_person(
        "authenticators",
        user.pk,
        lambda: frozenset(Authenticator.objects.filter(user=user).values_list("pk", flat=True)),
        "mfa.Authenticator",
    )


def mark_passed(request: HttpRequest, authenticator: Authenticator) -> None:
    """Record that this session passed ``authenticator`` (setting one up proves it too)."""
    record_authentication(
        request, authenticator.user, "mfa", id=authenticator.pk, type=authenticator.type
    )


def _exempt_prefixes() -> tuple[str, ...]:
    # The set-up and its explanation, logging out, re-entering the password (set-up asks for
    # it when the login is older than a few minutes), files, the language switch, healthz.
    return (
        reverse("mfa_index"),
        reverse("accounts:second_factor_required"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        settings.STATIC_URL,
        reverse("set_language"),
        reverse("core:healthz"),
    )


def _with_next(url: str, request: HttpRequest) -> str:
    target = request.get_full_path()
    if request.method != "GET" or not url_has_allowed_host_and_scheme(target, None):
        return url
    return f"{url}?{urlencode({'next': target})}"


class SecondFactorMiddleware:
    """Sends an administrator or district coordinator without a second factor to the set-up,
    and one whose session has not passed it to enter a code, before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            is_required(user)
            and not request.path.startswith(_exempt_prefixes())
            and not session_passed(request)
        ):
            if has_totp(user):
                return redirect(_with_next(reverse("mfa_reauthenticate"), request))
            return redirect("accounts:second_factor_required")
        return self.get_response(request)


def reset(actor, person) -> int:
    """Delete ``person``'s authenticators (TOTP and recovery codes): they set up a new one on
    their next visit. Recorded in the person's history; they get a mail."""
    require("accounts.reset_second_factor", actor, person)
    with transaction.atomic():
        deleted, _ = Authenticator.objects.filter(user=person).delete()
        entry = audit.record(person, "second_factor_reset", actor=actor)
        queue_mail(
            f"second-factor-reset:{entry.pk}",
            person,
            "accounts/mail/second_factor_reset",
            {"person": person.display_name},
        )
    return deleted
