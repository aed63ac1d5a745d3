"""Who coordinates what: the role and scope predicates every app combines (from the scope
contract, :mod:`hilfenetz.core.scoping`), and the shape of a scoped model's admin rules."""

from hilfenetz.core.predicates import NOTHING, Predicate, person_predicate, predicate, rule
from hilfenetz.core.scoping import (
    Scope,
    coordinated_q,
    coordinates,
    coordinator_scope,
    district_path,
    object_scope,
)


@person_predicate
def is_administrator(user, obj):
    return user.is_authenticated and user.is_active and user.is_superuser


@person_predicate
def is_coordinator(user, obj):
    return not coordinator_scope(user).is_empty


@person_predicate
def is_district_coordinator(user, obj):
    scope = coordinator_scope(user)
    return scope.everything or bool(scope.district_ids)


@predicate
def no_object(user, obj):
    return obj is None


@no_object.filters
def _rows_are_objects(user, model):
    return NOTHING


@predicate
def coordinates_object(user, obj):
    """The user coordinates ``obj`` (by its scope contract, see ``core/scoping.py``)."""
    return obj is not None and coordinates(user, obj)


coordinates_object.filters(lambda user, model: coordinated_q(user, model))


@predicate
def coordinates_object_district(user, obj):
    """The user coordinates the whole district ``obj`` belongs to."""
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    return coordinator_scope(user).covers(district_id=district_id)


@coordinates_object_district.filters
def _in_whole_districts(user, model):
    scope = coordinator_scope(user)
    return Scope(everything=scope.everything, district_ids=scope.district_ids).q(
        None, district_path(model)
    )


@predicate
def coordinates_in_district(user, obj):
    """The user coordinates the district ``obj`` belongs to (or is) or one of its
    municipalities: a municipal coordinator works with the district's platforms, areas and
    teams."""
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    return coordinator_scope(user).reaches_district(district_id)


@coordinates_in_district.filters
def _in_reached_districts(user, model):
    scope = coordinator_scope(user)
    reached = Scope(
        everything=scope.everything,
        district_ids=scope.district_ids | scope.municipality_district_ids,
    )
    return reached.q(None, district_path(model))


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
