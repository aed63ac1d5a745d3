"""Who reads the figures: coordinators, for the places they coordinate, and administrators.
Visitors, volunteers and organisation members see none."""

from hilfenetz.core.predicates import rule
from hilfenetz.core.roles import coordinates_object, is_administrator, is_coordinator

rule("figures.view", is_coordinator | is_administrator)
# A district, an area or a municipality the figures are about: a district coordinator reads
# the district, its areas and municipalities; a municipal coordinator their municipalities.
rule(
    "figures.view_place",
    coordinates_object,
    model=("regions.Municipality", "regions.Area", "regions.District"),
)
