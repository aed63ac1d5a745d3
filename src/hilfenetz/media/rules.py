"""Who may do what in the media centre.

Everyone reads published items. District and municipal coordinators publish for their scope;
organisation admins publish for their organisation (moderated where the district asks for it).
"""

from django.db.models import Q

from hilfenetz.accounts.models import MembershipRole, MembershipStatus, Organisation
from hilfenetz.accounts.rules import admin_of, in_organisations, member_of, memberships
from hilfenetz.core.predicates import NOTHING, always, person_predicate, predicate, rule
from hilfenetz.core.roles import (
    coordinates_object,
    coordinates_object_district,
    coordinator_in_scope,
    is_administrator,
    is_coordinator,
    is_district_coordinator,
    no_object,
)
from hilfenetz.media.models import Status


@predicate
def is_published(user, item):
    return item is not None and item.is_published


is_published.filters(lambda user, model: Q(status=Status.PUBLISHED))


@predicate
def is_creator(user, item):
    return user.is_authenticated and item is not None and item.created_by_id == user.pk


is_creator.filters(lambda user, model: Q(created_by=user) if user.is_authenticated else NOTHING)


@predicate
def member_of_item_organisation(user, item):
    return item is not None and member_of(user, item.organisation_id)


member_of_item_organisation.filters(lambda user, model: in_organisations(user, "organisation"))


@predicate
def admins_item_organisation(user, item):
    return item is not None and admin_of(user, item.organisation_id)


admins_item_organisation.filters(
    lambda user, model: in_organisations(user, "organisation", admins=True)
)


@predicate
def admins_organisation(user, obj):
    return isinstance(obj, Organisation) and admin_of(user, obj.pk)


@admins_organisation.filters
def _administered(user, model):
    return in_organisations(user, "pk", admins=True) if model is Organisation else NOTHING


@person_predicate
def admins_any_organisation(user, obj):
    return (MembershipStatus.ACTIVE, MembershipRole.ADMIN) in memberships(user).values()


moderates = coordinates_object | is_administrator
edits = moderates | admins_item_organisation

# The media centre's lists are these rules' rows (``visible_to``, ``editable_by``): an
# organisation's members see its drafts, its admins (members too) edit them.
rule(
    "media.view_item",
    is_published | is_creator | member_of_item_organisation | moderates,
    model="media.MediaItem",
)
rule("media.edit_item", edits, model="media.MediaItem")
rule("media.moderate", moderates)
# ``obj`` is the publisher: a district, a municipality or an organisation; without one, whether
# the person publishes for anyone at all.
rule(
    "media.publish_for",
    (no_object & (is_coordinator | is_administrator | admins_any_organisation))
    | moderates
    | admins_organisation,
    # the publishers a form offers (``publisher_choices``)
    model=("regions.District", "regions.Municipality", "accounts.Organisation"),
)
# A district's documents under a stable address (``platform_document``) are the district's.
rule(
    "media.keep_platform_document",
    (no_object & is_district_coordinator) | coordinates_object_district | is_administrator,
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
