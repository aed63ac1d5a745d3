"""Who coordinates what: the scope predicates every app combines (from
:mod:`hilfenetz.regions.scoping`), and the rules of the regions' admin."""

from hilfenetz.core.predicates import Predicate, predicate, rule
from hilfenetz.regions.scoping import coordinates, coordinator_scope, object_scope


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
    """The user coordinates ``obj`` (by its scope contract, see ``regions/scoping.py``)."""
    return obj is not None and coordinates(user, obj)


@predicate
def coordinates_object_district(user, obj):
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    return coordinator_scope(user).covers(district_id=district_id)


@predicate
def coordinates_in_object_district(user, obj):
    """The user coordinates the object's district or one of its municipalities."""
    if obj is None:
        return False
    _, district_id = object_scope(obj)
    scope = coordinator_scope(user)
    if scope.covers(district_id=district_id):
        return True
    from hilfenetz.regions.models import Municipality

    return Municipality.objects.filter(
        district_id=district_id, pk__in=scope.municipality_ids
    ).exists()


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


scoped_admin_rules(
    "regions.municipality",
    change=coordinates_object | is_administrator,
    add=is_administrator,
    delete=is_administrator,
)
# Every coordinator of the district sees its areas (the admin lists them); only the district's
# coordinators correct them.
scoped_admin_rules(
    "regions.area",
    view=(no_object & is_coordinator) | coordinates_in_object_district | is_administrator,
    change=coordinates_object_district | is_administrator,
    add=is_district_coordinator | is_administrator,
    delete=coordinates_object_district | is_administrator,
)
scoped_admin_rules(
    "regions.district",
    change=coordinates_object_district | is_administrator,
    add=is_administrator,
    delete=is_administrator,
)
# Only administrators appoint district coordinators; a district coordinator appoints the
# municipal coordinators of their own district.
_appoints = is_administrator | (
    is_district_coordinator
    & (no_object | (predicate(lambda u, o: o.municipality_id is not None) & coordinates_object))
)
rule("regions.coordinatorrole.view", _appoints)
rule("regions.coordinatorrole.change", _appoints)
rule("regions.coordinatorrole.add", _appoints)
rule("regions.coordinatorrole.delete", _appoints)
