"""Who may do what while starting: every logged-in person has their own welcome and reads and
acknowledges their district's standards for themselves. A record of a certificate of conduct
is seen by its volunteer and the coordinators of the municipality it was recorded in; only
coordinators of a volunteer's home municipality record one."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.rules import is_authenticated
from hilfenetz.core import audit
from hilfenetz.core.predicates import NOTHING, predicate, rule
from hilfenetz.core.roles import coordinates_object, is_administrator, is_coordinator
from hilfenetz.core.scoping import coordinator_scope


@predicate
def coordinates_home(user, person):
    """The user coordinates the home municipality of ``person``."""
    if person is None or person.home_municipality_id is None:
        return False
    return coordinator_scope(user).covers(
        municipality_id=person.home_municipality_id,
        district_id=person.home_municipality.district_id,
    )


@coordinates_home.filters
def _homes_coordinated(user, model):
    scope = coordinator_scope(user)
    if scope.is_empty:
        return NOTHING
    return scope.q("home_municipality", "home_municipality__district") & Q(
        home_municipality__isnull=False
    )


@predicate
def someone_else(user, person):
    """Nobody vouches for their own certificate of conduct."""
    return person is not None and person.pk != user.pk


someone_else.filters(lambda user, model: ~Q(pk=user.pk) if user.is_authenticated else Q())


@predicate
def own_record(user, obj):
    return obj is not None and user.is_authenticated and obj.user_id == user.pk


own_record.filters(lambda user, model: Q(user=user.pk) if user.is_authenticated else NOTHING)

rule("engagement.welcome", is_authenticated)
# the district sets up its coordinators and administrators; the welcome opens by itself only for
# people who came on their own (the others may still open it from their account)
rule("engagement.welcome_at_login", is_authenticated & ~(is_coordinator | is_administrator))
rule("engagement.acknowledge", is_authenticated)
rule("engagement.own_certificates", is_authenticated)
rule("engagement.own_confirmation", is_authenticated)
rule("engagement.record_certificate", coordinates_home & someone_else, model="accounts.User")
rule("engagement.overview", is_coordinator)
rule("engagement.write_to", coordinates_home, model="accounts.User")
rule(
    "engagement.view_certificate",
    own_record | coordinates_object,
    model="engagement.ConductCertificate",
)

audit.define_actions(certificate_seen=_("certificate of conduct seen"))
