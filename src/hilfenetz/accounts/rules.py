"""Who may do what with accounts and organisations (the scope predicates every app combines
live in ``core/roles.py``)."""

from django.db.models import Q

from hilfenetz.accounts.models import (
    MembershipRole,
    MembershipStatus,
    active_organisation_ids,
    admin_organisation_ids,
)
from hilfenetz.core.predicates import NOTHING, always, person_predicate, predicate, rule
from hilfenetz.core.roles import (
    coordinates_object,
    coordinates_object_district,
    coordinator_in_scope,
    is_administrator,
    is_coordinator,
    scoped_admin_rules,
)


@person_predicate
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


def in_any_organisation(user) -> bool:
    return any(status == MembershipStatus.ACTIVE for status, _ in memberships(user).values())


def member_of(user, organisation_id) -> bool:
    m = memberships(user).get(organisation_id) if organisation_id is not None else None
    return m is not None and m[0] == MembershipStatus.ACTIVE


def admin_of(user, organisation_id) -> bool:
    m = memberships(user).get(organisation_id) if organisation_id is not None else None
    return m == (MembershipStatus.ACTIVE, MembershipRole.ADMIN)


def in_organisations(user, path: str, admins: bool = False) -> Q:
    """Rows whose ``path`` leads to an organisation ``user`` is an active member (``admins``:
    an admin) of: the query of :func:`member_of` and :func:`admin_of`."""
    if not user.is_authenticated:
        return NOTHING
    ids = admin_organisation_ids(user) if admins else active_organisation_ids(user)
    return Q(**{f"{path}__in": ids})


@predicate
def is_org_member(user, organisation):
    return organisation is not None and member_of(user, organisation.pk)


@predicate
def is_org_admin(user, organisation):
    return organisation is not None and admin_of(user, organisation.pk)


is_org_member.filters(lambda user, model: in_organisations(user, "pk"))
is_org_admin.filters(lambda user, model: in_organisations(user, "pk", admins=True))


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
