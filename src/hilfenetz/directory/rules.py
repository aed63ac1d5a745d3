"""Who may do what in the directory.

Reading is public. A coordinator edits an office when they coordinate its district or one of
the municipalities it serves; the district's own offices and the competence teams belong to
the district coordinators. Organisation admins keep their organisation's profile current.
"""

from django.db.models import Q

from hilfenetz.accounts.rules import is_org_admin
from hilfenetz.core.predicates import NOTHING, always, predicate, rule
from hilfenetz.core.roles import (
    coordinates_in_district,
    coordinates_object,
    coordinates_object_district,
    is_administrator,
    is_coordinator,
    no_object,
)


@predicate
def admins_profile_organisation(user, obj):
    from hilfenetz.directory.models import OrganisationProfile

    organisation = obj.organisation if isinstance(obj, OrganisationProfile) else obj
    return is_org_admin(user, organisation)


@predicate
def started_import(user, obj):
    return obj is not None and user.is_authenticated and obj.user_id == user.pk


started_import.filters(lambda user, model: Q(user_id=user.pk) if user.is_authenticated else NOTHING)

manages_entry = coordinates_object | is_administrator
coordinators = is_coordinator | is_administrator

rule("directory.view", always)
rule("directory.office.edit", manages_entry)
# without an office yet: any coordinator may start one (its municipalities are checked then)
rule(
    "directory.office.create",
    (no_object & is_coordinator) | coordinates_in_district | is_administrator,
)
rule("directory.office.create_district", coordinates_object_district | is_administrator)
rule("directory.team.edit", manages_entry)
rule("directory.team.history", coordinates_in_district | is_administrator)
rule("directory.organisation.edit", admins_profile_organisation | manages_entry)
rule("directory.history.view", manages_entry)
rule("directory.overdue.view", coordinators)
rule("directory.import", coordinators)
# an import of organisations: the person who ran it, the district's coordinators
rule(
    "directory.import.run",
    started_import | coordinates_object_district | is_administrator,
    model="directory.ImportRun",
)

_in_scope = (no_object & is_coordinator) | manages_entry
for model in ("office", "contactperson", "organisationprofile", "competenceteam", "teammember"):
    rule(f"directory.{model}.view", _in_scope)
    rule(f"directory.{model}.change", _in_scope)
    rule(f"directory.{model}.add", coordinators)
    rule(f"directory.{model}.delete", _in_scope)
