"""Who may do what in the media centre.

Everyone reads published items. District and municipal coordinators publish for their scope;
organisation admins publish for their organisation (moderated where the district asks for it).
"""

from hilfenetz.accounts.models import MembershipRole, MembershipStatus, Organisation
from hilfenetz.accounts.rules import is_org_admin, memberships
from hilfenetz.core.predicates import always, predicate, rule
from hilfenetz.core.roles import (
    coordinates_object,
    coordinator_in_scope,
    is_administrator,
    is_coordinator,
    is_district_coordinator,
    no_object,
)


@predicate
def is_published(user, item):
    return item is not None and item.is_published


@predicate
def is_creator(user, item):
    return user.is_authenticated and item is not None and item.created_by_id == user.pk


@predicate
def admins_item_organisation(user, item):
    return (
        item is not None
        and item.organisation_id is not None
        and is_org_admin(user, item.organisation)
    )


@predicate
def admins_organisation(user, obj):
    return isinstance(obj, Organisation) and is_org_admin(user, obj)


@predicate
def admins_any_organisation(user, obj):
    return (MembershipStatus.ACTIVE, MembershipRole.ADMIN) in memberships(user).values()


moderates = coordinates_object | is_administrator
edits = moderates | admins_item_organisation

rule("media.view_item", is_published | is_creator | edits)
rule("media.edit_item", edits)
rule("media.moderate", moderates)
# ``obj`` is the publisher: a district, a municipality or an organisation; without one, whether
# the person publishes for anyone at all.
rule(
    "media.publish_for",
    (no_object & (is_coordinator | is_administrator | admins_any_organisation))
    | moderates
    | admins_organisation,
)
rule("media.manage", is_coordinator | is_administrator | admins_any_organisation)
rule("media.statistics", is_coordinator | is_administrator)
rule("media.browse", always)

for action in ("view", "change"):
    rule(f"media.mediaitem.{action}", coordinator_in_scope)
rule("media.mediaitem.add", is_administrator)
rule("media.mediaitem.delete", coordinates_object | is_administrator)
_district_policy = (no_object & is_district_coordinator) | coordinates_object | is_administrator
for action in ("view", "change", "add"):
    rule(f"media.mediapolicy.{action}", _district_policy)
rule("media.mediapolicy.delete", is_administrator)
