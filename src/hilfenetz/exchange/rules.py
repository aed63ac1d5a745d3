"""Who may do what in the help exchange."""

from django.db.models import Q

from hilfenetz.accounts.rules import in_organisations, is_authenticated, member_of
from hilfenetz.core.predicates import NOTHING, always, predicate, rule
from hilfenetz.core.roles import (
    coordinates_object,
    coordinates_object_district,
    coordinator_in_scope,
    is_administrator,
    is_coordinator,
    is_district_coordinator,
    no_object,
)
from hilfenetz.exchange.models import (
    OPEN_STATUSES,
    Kind,
    Listing,
    PledgeStatus,
    Status,
    took_part_q,
)


@predicate
def is_author(user, listing):
    return user.is_authenticated and listing is not None and listing.author_id == user.pk


is_author.filters(lambda user, model: Q(author=user) if user.is_authenticated else NOTHING)


@predicate
def is_published(user, listing):
    return listing is not None and listing.status == Status.PUBLISHED


is_published.filters(lambda user, model: Q(status=Status.PUBLISHED))


@predicate
def is_open(user, listing):
    return listing is not None and listing.status in OPEN_STATUSES


is_open.filters(lambda user, model: Q(status__in=OPEN_STATUSES))


@predicate
def took_part_in_closed(user, listing):
    """Answered or pledged to a listing that has ended."""
    return (
        user.is_authenticated
        and listing is not None
        and Listing.objects.filter(took_part_q(user), pk=listing.pk).exists()
    )


took_part_in_closed.filters(
    lambda user, model: took_part_q(user) if user.is_authenticated else NOTHING
)


@predicate
def is_participant(user, conversation):
    return (
        user.is_authenticated
        and conversation is not None
        and user.pk in (conversation.helper_id, conversation.listing.author_id)
    )


@predicate
def is_sender(user, message):
    return user.is_authenticated and message is not None and message.sender_id == user.pk


@predicate
def in_message_conversation(user, message):
    return message is not None and is_participant(user, message.conversation)


@predicate
def member_of_listing_org(user, listing):
    return listing is not None and member_of(user, listing.organisation_id)


member_of_listing_org.filters(lambda user, model: in_organisations(user, "organisation"))


@predicate
def is_active(user, promise):
    """A pledge or a ride still promised (neither kept nor withdrawn)."""
    return promise is not None and promise.status == PledgeStatus.ACTIVE


@predicate
def gave(user, pledge):
    return user.is_authenticated and pledge is not None and pledge.helper_id == user.pk


@predicate
def posted_the_need(user, pledge):
    return user.is_authenticated and pledge is not None and pledge.listing.author_id == user.pk


@predicate
def waits_for_transport(user, pledge):
    """A promise for a published need with transport needed."""
    listing = pledge.listing if pledge is not None else None
    return (
        listing is not None
        and listing.status == Status.PUBLISHED
        and listing.kind == Kind.NEED
        and listing.transport_needed
    )


@predicate
def drives(user, ride):
    return user.is_authenticated and ride is not None and ride.driver_id == user.pk


moderates = coordinates_object | is_administrator

involved = is_author | member_of_listing_org | moderates

# Lists (``Listing.objects.visible_to``) are this rule's rows.
rule(
    "exchange.view_listing",
    is_published | involved | took_part_in_closed,
    model="exchange.Listing",
)
rule("exchange.create_listing", is_authenticated)
rule("exchange.post_on_behalf", is_coordinator | is_administrator)
rule("exchange.edit_listing", is_open & involved, model="exchange.Listing")
# "My listings" (exchange:mine): one's own, and the open listings of one's organisations, which
# one keeps current too; with the coordinators' admin they hold every listing one may edit.
rule("exchange.my_listing", is_author | (member_of_listing_org & is_open), model="exchange.Listing")
rule("exchange.close_listing", is_open & involved)
# A person's name on their listing: for them, their organisation and its coordinators only.
rule("exchange.see_author", involved)
rule("exchange.view_answers", involved)
# Anyone but the need's author and the giver may drive a promise there; only the giver takes
# their promise back, only the driver their ride.
rule(
    "exchange.pledge_ride",
    is_authenticated & is_active & waits_for_transport & ~gave & ~posted_the_need,
)
rule("exchange.withdraw_pledge", gave & is_active)
rule("exchange.withdraw_ride", drives & is_active)
rule("exchange.answer", is_authenticated & is_published & ~is_author)
rule("exchange.pledge", is_authenticated & is_published & ~is_author)
# Nobody reports their own listing or message: it only fills the coordinators' queue.
rule("exchange.report", is_authenticated & ~is_author)
rule("exchange.report_message", is_authenticated & in_message_conversation & ~is_sender)
rule("exchange.view_conversation", is_participant)
rule("exchange.moderate", moderates)
rule("exchange.statistics", is_coordinator | is_administrator)
rule("exchange.search", always)

# The admin: coordinators see and moderate listings and reports of their scope; district
# coordinators edit the categories of their districts (names in every language; adding one
# for another district is not offered, see CategoryAdmin); private messages stay private.
for model in ("listing", "report"):
    rule(f"exchange.{model}.view", coordinator_in_scope)
    rule(f"exchange.{model}.change", coordinator_in_scope)
    rule(f"exchange.{model}.add", is_administrator)
    rule(f"exchange.{model}.delete", is_administrator)
_edits_categories = (
    (no_object & is_district_coordinator) | coordinates_object_district | is_administrator
)
for action in ("view", "change", "add", "delete"):
    rule(f"exchange.category.{action}", _edits_categories)
