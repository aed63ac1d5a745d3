"""The rules of the regions' admin (the role and scope predicates they combine are the
kernel's, :mod:`hilfenetz.core.roles`)."""

from django.db.models import Q

from hilfenetz.core.predicates import predicate, rule
from hilfenetz.core.roles import (
    coordinates_in_district,
    coordinates_object,
    coordinates_object_district,
    is_administrator,
    is_coordinator,
    is_district_coordinator,
    no_object,
    scoped_admin_rules,
)

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
    view=(no_object & is_coordinator) | coordinates_in_district | is_administrator,
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


@predicate
def is_municipal_role(user, role):
    return role.municipality_id is not None


is_municipal_role.filters(lambda user, model: Q(municipality__isnull=False))

# Only administrators appoint district coordinators; a district coordinator appoints the
# municipal coordinators of their own district.
_appoints = is_administrator | (
    is_district_coordinator & (no_object | (is_municipal_role & coordinates_object))
)
rule("regions.coordinatorrole.view", _appoints)
rule("regions.coordinatorrole.change", _appoints)
rule("regions.coordinatorrole.add", _appoints)
rule("regions.coordinatorrole.delete", _appoints)
