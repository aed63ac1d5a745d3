"""Who may do what with crisis mode."""

from hilfenetz.accounts.rules import is_authenticated
from hilfenetz.core.predicates import rule
from hilfenetz.core.roles import (
    coordinates_in_district,
    coordinates_object,
    coordinates_object_district,
    is_administrator,
    is_coordinator,
)

# The district's coordinators and the administrator switch, keep the templates and add
# categories; the district's municipal coordinators see the state. The object is the district
# (or a row of it).
runs_district = coordinates_object_district | is_administrator
rule("crisis.switch", runs_district, model="regions.District")
rule("crisis.view_state", coordinates_in_district | is_administrator, model="regions.District")
rule("crisis.edit_template", runs_district, model="crisis.CrisisTemplate")
rule("crisis.add_category", runs_district, model="regions.District")

rule("crisis.ask_for_alert", is_authenticated)
rule("crisis.offer_accommodation", is_authenticated)
# The intake list: coordinators of the offer's municipality or district only.
rule("crisis.view_offers", is_coordinator | is_administrator)
rule(
    "crisis.handle_offer", coordinates_object | is_administrator, model="crisis.AccommodationOffer"
)
