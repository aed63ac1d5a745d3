"""Who may print, see and revoke slips: the coordinators of the listing's municipality (and
of its district) and administrators. The person holding a slip has no account: their code
opens their own listings only (slips/session.py), never a page behind a login."""

from django.db.models import Q

from hilfenetz.core.predicates import predicate, rule
from hilfenetz.core.roles import coordinates_object, is_administrator, is_coordinator
from hilfenetz.exchange.models import OPEN_STATUSES


@predicate
def posted_on_behalf(user, listing):
    return listing is not None and listing.consent_id is not None


posted_on_behalf.filters(lambda user, model: Q(consent__isnull=False))


@predicate
def is_open_listing(user, listing):
    return listing is not None and listing.status in OPEN_STATUSES


is_open_listing.filters(lambda user, model: Q(status__in=OPEN_STATUSES))


rule("slips.list", is_coordinator | is_administrator)
rule(
    "slips.create_slip",
    posted_on_behalf & is_open_listing & (coordinates_object | is_administrator),
    model="exchange.Listing",
)
rule("slips.manage_slip", coordinates_object | is_administrator, model="slips.Slip")
