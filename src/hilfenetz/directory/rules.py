"""Who may do what in the directory.

Reading is public. A coordinator edits an office when they coordinate its district or one of
the municipalities it serves; the district's own offices and the competence teams belong to
the district coordinators. Organisation admins keep their organisation's profile current.
"""

from hilfenetz.accounts.rules import is_org_admin
from hilfenetz.core.predicates import always, predicate, rule
from hilfenetz.regions.rules import (
    coordinates_object,
    coordinates_object_district,
    is_administrator,
    is_coordinator,
    no_object,
)
from hilfenetz.regions.scoping import coordinator_scope


@predicate
def admins_profile_organisation(user, obj):
    from hilfenetz.directory.models import OrganisationProfile

    organisation = obj.organisation if isinstance(obj, OrganisationProfile) else obj
    return is_org_admin(user, organisation)


@predicate
def coordinates_in_district(user, obj):
    """The user coordinates the district ``obj`` (or the district of ``obj``), or one of its
    municipalities. Without an object: the user coordinates anything."""
    from hilfenetz.regions.models import District, Municipality

    if obj is None:
        return not coordinator_scope(user).is_empty
    district_id = obj.pk if isinstance(obj, District) else obj.district_id
    scope = coordinator_scope(user)
    if scope.everything or district_id in scope.district_ids:
        return True
    return Municipality.objects.filter(
        pk__in=scope.municipality_ids, district_id=district_id
    ).exists()


manages_entry = coordinates_object | is_administrator
coordinators = is_coordinator | is_administrator

rule("directory.view", always)
rule("directory.office.edit", manages_entry)
rule("directory.office.create", coordinates_in_district | is_administrator)
rule("directory.office.create_district", coordinates_object_district | is_administrator)
rule("directory.team.edit", manages_entry)
rule("directory.team.history", coordinates_in_district | is_administrator)
rule("directory.organisation.edit", admins_profile_organisation | manages_entry)
rule("directory.history.view", manages_entry)
rule("directory.overdue.view", coordinators)
rule("directory.import", coordinators)

_in_scope = (no_object & is_coordinator) | manages_entry
for model in ("office", "contactperson", "organisationprofile", "competenceteam", "teammember"):
    rule(f"directory.{model}.view", _in_scope)
    rule(f"directory.{model}.change", _in_scope)
    rule(f"directory.{model}.add", coordinators)
    rule(f"directory.{model}.delete", _in_scope)
