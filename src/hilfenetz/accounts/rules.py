"""Who may do what: the predicates every part of Hilfenetz combines, and the account rules."""

from hilfenetz.core.predicates import Predicate, always, predicate, rule
from hilfenetz.regions.models import District, Municipality
from hilfenetz.regions.scoping import coordinator_scope


@predicate
def is_authenticated(user, obj):
    return user.is_authenticated and user.is_active


@predicate
def is_administrator(user, obj):
    return user.is_authenticated and user.is_active and user.is_superuser


@predicate
def is_coordinator(user, obj):
    return not coordinator_scope(user).is_empty


@predicate
def is_district_coordinator(user, obj):
    scope = coordinator_scope(user)
    return scope.everything or bool(scope.district_ids)


@predicate
def no_object(user, obj):
    return obj is None


def object_scope(obj) -> tuple[int | None, int | None]:
    """(municipality id, district id) an object belongs to."""
    if isinstance(obj, Municipality):
        return obj.id, obj.district_id
    if isinstance(obj, District):
        return None, obj.id
    if hasattr(obj, "scope_keys"):
        return obj.scope_keys()
    municipality_id = getattr(obj, "municipality_id", None)
    district_id = getattr(obj, "district_id", None)
    if district_id is None and municipality_id is not None:
        district_id = obj.municipality.district_id
    return municipality_id, district_id


@predicate
def coordinates_object(user, obj):
    if obj is None:
        return False
    municipality_id, district_id = object_scope(obj)
    return coordinator_scope(user).covers(municipality_id=municipality_id, district_id=district_id)


@predicate
def coordinates_object_district(user, obj):
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    return coordinator_scope(user).covers(district_id=district_id)


def _membership(user, organisation):
    if not user.is_authenticated or organisation is None:
        return None
    cache = getattr(user, "_hilfenetz_memberships", None)
    if cache is None:
        cache = {
            org_id: (status, role)
            for org_id, status, role in user.memberships.values_list(
                "organisation_id", "status", "role"
            )
        }
        user._hilfenetz_memberships = cache
    return cache.get(organisation.pk)


@predicate
def is_org_member(user, organisation):
    m = _membership(user, organisation)
    return m is not None and m[0] == "active"


@predicate
def is_org_admin(user, organisation):
    m = _membership(user, organisation)
    return m is not None and m == ("active", "admin")


#: In the admin a coordinator sees the list (no object) and the objects in their scope.
coordinator_in_scope: Predicate = (
    (no_object & is_coordinator) | coordinates_object | is_administrator
)


def scoped_admin_rules(prefix: str, *, change: Predicate, add: Predicate, delete: Predicate):
    rule(f"{prefix}.view", coordinator_in_scope)
    rule(f"{prefix}.change", change)
    rule(f"{prefix}.add", add)
    rule(f"{prefix}.delete", delete)


rule("admin.enter", is_administrator | is_coordinator)
rule("profile.edit", is_authenticated)

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
# Only administrators appoint district coordinators; a district coordinator appoints the
# municipal coordinators of their own district.
_appoints = is_administrator | (
    is_district_coordinator
    & (no_object | (predicate(lambda u, o: o.municipality_id is not None) & coordinates_object))
)
rule("accounts.coordinatorrole.view", _appoints)
rule("accounts.coordinatorrole.change", _appoints)
rule("accounts.coordinatorrole.add", _appoints)
rule("accounts.coordinatorrole.delete", _appoints)
for action in ("view", "change", "add", "delete"):
    rule(f"accounts.user.{action}", is_administrator)
