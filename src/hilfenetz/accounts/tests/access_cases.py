from django.urls import reverse

from hilfenetz.accounts.models import Membership, MembershipStatus, Organisation
from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.tests.access import LOGIN, ROLES, Case, Effect, expect, unchanged

MANAGERS = {
    "org_admin": 200,
    "coordinator_here": 200,
    "district_coordinator": 200,
    "administrator": 200,
}
MANAGERS_REDIRECT = {role: 302 for role in MANAGERS}


def extend_world(world):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    world.extra["with_second_factor"] = UserFactory(display_name="With app")
    TOTP.activate(world.with_second_factor, generate_totp_secret())
    requester = UserFactory(display_name="Requester")
    world.extra["join_request"] = Membership.objects.create(
        organisation=world.organisation, user=requester, status=MembershipStatus.REQUESTED
    )


def org(name):
    return lambda w: reverse(f"accounts:{name}", args=[w.organisation.slug])


def request_status(w):
    return Membership.objects.filter(pk=w.join_request.pk).values_list("status", flat=True).first()


def memberships(status):
    return lambda w: Membership.objects.filter(organisation=w.organisation, status=status).count()


def organisation_name(w):
    return Organisation.objects.get(pk=w.organisation.pk).name


def authenticators(w):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=w.with_second_factor).count()


def second_factor_reset(w):
    return reverse("accounts:second_factor_reset", args=[w.with_second_factor.pk])


CASES = [
    # Administrators and district coordinators are told why they need it; others may set it up.
    Case(
        "accounts:second_factor_required",
        lambda w: reverse("accounts:second_factor_required"),
        expect(302, anonymous=LOGIN, district_coordinator=200, administrator=200),
    ),
    Case(
        "accounts:second_factor_reset",
        second_factor_reset,
        expect(403, anonymous=LOGIN, administrator=200),
    ),
    Case(
        "accounts:second_factor_reset",
        second_factor_reset,
        expect(403, anonymous=LOGIN, administrator=302),
        method="POST",
        effect=Effect(authenticators, after=0),
    ),
    Case("accounts:profile", lambda w: reverse("accounts:profile"), expect(200, anonymous=LOGIN)),
    Case("accounts:export", lambda w: reverse("accounts:export"), expect(200, anonymous=LOGIN)),
    Case("accounts:delete", lambda w: reverse("accounts:delete"), expect(200, anonymous=LOGIN)),
    Case(
        "accounts:invitation_answer",
        lambda w: reverse("accounts:invitation_answer", args=[w.join_request.pk]),
        expect(404, anonymous=LOGIN),
        method="POST",
        data=lambda w: {"action": "accept"},
        label="someone else's request",
        effect=unchanged(request_status),
    ),
    Case(
        "accounts:organisation_create",
        lambda w: reverse("accounts:organisation_create"),
        expect(200, anonymous=LOGIN),
    ),
    Case("accounts:organisation", org("organisation"), expect(200)),
    Case(
        "accounts:organisation_edit",
        org("organisation_edit"),
        expect(403, anonymous=LOGIN, **MANAGERS),
    ),
    Case(
        "accounts:organisation_edit",
        org("organisation_edit"),
        expect(403, anonymous=LOGIN, **MANAGERS),
        method="POST",
        data=lambda w: {"name": ""},
        label="invalid form",
        effect=unchanged(organisation_name),
    ),
    Case(
        "accounts:organisation_members",
        org("organisation_members"),
        expect(403, anonymous=LOGIN, **MANAGERS),
    ),
    Case(
        "accounts:organisation_members",
        org("organisation_members"),
        expect(403, anonymous=LOGIN, **MANAGERS_REDIRECT),
        method="POST",
        data=lambda w: {"email": "new.person@example.org"},
        label="invite",
        effect=Effect(
            lambda w: Membership.objects.filter(
                organisation=w.organisation, invited_email="new.person@example.org"
            ).count(),
            after=1,
        ),
    ),
    Case(
        "accounts:membership_action",
        lambda w: reverse("accounts:membership_action", args=[w.join_request.pk]),
        expect(403, anonymous=LOGIN, **MANAGERS_REDIRECT),
        method="POST",
        data=lambda w: {"action": "accept"},
        label="accept a request",
        effect=Effect(request_status, after=MembershipStatus.ACTIVE),
    ),
    Case(
        "accounts:organisation_join",
        org("organisation_join"),
        expect(302, anonymous=LOGIN),
        method="POST",
        # Members are told they already are; everyone else asks to join.
        effect=Effect(
            memberships(MembershipStatus.REQUESTED),
            after=lambda n: n + 1,
            roles=set(ROLES) - {"anonymous", "org_member", "org_admin"},
        ),
    ),
    Case(
        "accounts:organisation_leave",
        org("organisation_leave"),
        expect(302, anonymous=LOGIN),
        method="POST",
        # The only admin may not leave while others are members; non-members have nothing to leave.
        effect=Effect(
            memberships(MembershipStatus.ACTIVE), after=lambda n: n - 1, roles=["org_member"]
        ),
    ),
    Case(
        "account_login",
        lambda w: reverse("account_login"),
        expect(302, anonymous=200),
    ),
    Case(
        "account_signup",
        lambda w: reverse("account_signup"),
        expect(302, anonymous=200),
    ),
    Case(
        "admin:index",
        lambda w: reverse("admin:index"),
        expect(200, anonymous=302, person=302, org_member=302, org_admin=302),
    ),
    Case(
        "admin:regions_municipality_change",
        lambda w: reverse("admin:regions_municipality_change", args=[w.here.pk]),
        expect(
            302,
            coordinator_here=200,
            district_coordinator=200,
            administrator=200,
            coordinator_other=302,
        ),
        label="municipality in scope",
    ),
    Case(
        "admin:accounts_user_changelist",
        lambda w: reverse("admin:accounts_user_changelist"),
        expect(
            302,
            coordinator_here=403,
            coordinator_other=403,
            district_coordinator=403,
            administrator=200,
        ),
    ),
]
