"""How the district's refugee work fits together: the Kreisarbeitsgemeinschaft (KAG)
„Netzwerk Flüchtlinge“ with its competence teams, the thematic platforms, the district office,
the municipal coordination offices and the working groups, read from the live entries."""

from dataclasses import dataclass

from django.db.models import Count

from hilfenetz.accounts.models import Organisation, OrganisationKind
from hilfenetz.directory.models import CompetenceTeam, Office, OfficeKind
from hilfenetz.network.models import Platform
from hilfenetz.regions.models import District

#: The kinds of organisation that volunteers form on the spot.
LOCAL_GROUP_KINDS = (OrganisationKind.WORKING_GROUP, OrganisationKind.INITIATIVE)


@dataclass
class Structure:
    district: District
    teams: list
    platforms: list
    district_offices: list
    municipal_offices: list
    #: ``(kind, label, number)`` of each kind of local group, also when there is none yet
    local_groups: list


def structure(district: District) -> Structure:
    """What the KAG page draws for ``district``: the entries themselves (for their links), and
    for the working groups, of which a district has hundreds, their number per kind."""
    offices = list(Office.objects.active().filter(district=district).select_related("district"))
    counted = dict(
        Organisation.objects.active()
        .filter(district=district, kind__in=LOCAL_GROUP_KINDS)
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return Structure(
        district=district,
        teams=list(CompetenceTeam.objects.filter(district=district)),
        platforms=list(Platform.objects.active().filter(district=district)),
        district_offices=[o for o in offices if o.kind == OfficeKind.DISTRICT],
        municipal_offices=[o for o in offices if o.kind == OfficeKind.MUNICIPAL],
        local_groups=[
            (kind, OrganisationKind(kind).label, counted.get(kind, 0)) for kind in LOCAL_GROUP_KINDS
        ],
    )
