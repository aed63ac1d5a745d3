"""Who coordinates what: the role and scope predicates every app combines (from the scope
contract, :mod:`hilfenetz.core.scoping`), and the shape of a scoped model's admin rules."""

from hilfenetz.core.predicates import Predicate, predicate, rule
from hilfenetz.core.scoping import coordinates, coordinator_scope, object_scope


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


@predicate
def coordinates_object(user, obj):
    """The user coordinates ``obj`` (by its scope contract, see ``core/scoping.py``)."""
    return obj is not None and coordinates(user, obj)


@predicate
def coordinates_object_district(user, obj):
    """The user coordinates the whole district ``obj`` belongs to."""
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    return coordinator_scope(user).covers(district_id=district_id)


@predicate
def coordinates_in_district(user, obj):
    """The user coordinates the district ``obj`` belongs to (or is) or one of its
    municipalities: a municipal coordinator works with the district's platforms, areas and
    teams."""
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    return coordinator_scope(user).reaches_district(district_id)


#: In the admin a coordinator sees the list (no object) and the objects in their scope.
coordinator_in_scope: Predicate = (
    (no_object & is_coordinator) | coordinates_object | is_administrator
)


def scoped_admin_rules(
    prefix: str,
    *,
    change: Predicate,
    add: Predicate,
    delete: Predicate,
    view: Predicate = coordinator_in_scope,
):
    rule(f"{prefix}.view", view)
    rule(f"{prefix}.change", change)
    rule(f"{prefix}.add", add)
    rule(f"{prefix}.delete", delete)
