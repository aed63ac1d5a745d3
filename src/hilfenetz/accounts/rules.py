"""Who may do what with accounts and organisations (the scope predicates every app combines
live in ``core/roles.py``)."""

from hilfenetz.accounts.models import MembershipRole, MembershipStatus
from hilfenetz.core.predicates import always, predicate, rule
from hilfenetz.core.roles import (
    coordinates_object,
    coordinates_object_district,
    coordinator_in_scope,
    is_administrator,
    is_coordinator,
    scoped_admin_rules,
)


@predicate
def is_authenticated(user, obj):
    return user.is_authenticated and user.is_active


def memberships(user) -> dict:
    """``{organisation id: (status, role)}`` of the user's memberships, read once per request
    (the user object) for every rule that asks."""
    if not user.is_authenticated:
        return {}
    cache = getattr(user, "_hilfenetz_memberships", None)
    if cache is None:
        cache = {
            org_id: (status, role)
            for org_id, status, role in user.memberships.values_list(
                "organisation_id", "status", "role"
            )
        }
        user._hilfenetz_memberships = cache
    return cache


def _membership(user, organisation):
    if organisation is None:
        return None
    return memberships(user).get(organisation.pk)


@predicate
def is_org_member(user, organisation):
    m = _membership(user, organisation)
    return m is not None and m[0] == MembershipStatus.ACTIVE


@predicate
def is_org_admin(user, organisation):
    m = _membership(user, organisation)
    return m is not None and m == (MembershipStatus.ACTIVE, MembershipRole.ADMIN)


@predicate
def see_name(viewer, person) -> bool:
    """The one rule for showing a person's display name (``{% person_name %}``): visitors never
    see it, registered people see each other's, everyone sees their own. Where a person appears
    as someone seeking help, the help exchange narrows it further to those involved (the rule
    ``exchange.see_author``, conversations only for their two sides)."""
    if person is None:
        return False
    return viewer is not None and (viewer == person or is_authenticated(viewer, person))


rule("accounts.see_name", see_name)
rule("admin.enter", is_administrator | is_coordinator)
rule("profile.edit", is_authenticated)
rule("accounts.reset_second_factor", is_administrator)

rule("organisation.view", always)
rule("organisation.create", is_authenticated)
rule("organisation.manage", is_org_admin | coordinates_object | is_administrator)
rule("organisation.request_membership", is_authenticated & ~is_org_member)
rule("organisation.leave", is_org_member)

scoped_admin_rules(
    "accounts.organisation",
    change=coordinator_in_scope,
    add=is_coordinator | is_administrator,
    delete=coordinates_object_district | is_administrator,
)
scoped_admin_rules(
    "accounts.membership",
    change=coordinator_in_scope,
    add=is_coordinator | is_administrator,
    delete=coordinator_in_scope,
)
for action in ("view", "change", "add", "delete"):
    rule(f"accounts.user.{action}", is_administrator)
