from hilfenetz.accounts.rules import (
    coordinates_object,
    coordinates_object_district,
    is_administrator,
    is_district_coordinator,
    scoped_admin_rules,
)

scoped_admin_rules(
    "regions.municipality",
    change=coordinates_object | is_administrator,
    add=is_administrator,
    delete=is_administrator,
)
scoped_admin_rules(
    "regions.area",
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
