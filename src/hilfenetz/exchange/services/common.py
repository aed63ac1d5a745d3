"""What the steps of the help exchange share: a listing's status changes and their history,
when a listing waits for a coordinator, what follows its publication, and a listing's area
when its municipality moves to another."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hilfenetz.core import lifecycle, search
from hilfenetz.core.scoping import coordinator_scope
from hilfenetz.exchange import similarity
from hilfenetz.exchange.models import Listing, ListingEvent, Status

NEW_ACCOUNT_AGE = timedelta(days=7)


ON_BEHALF_REFUSED = gettext_lazy(
    "Only coordinators can post on behalf of a person without an account. Please ask the "
    "coordination office of your municipality."
)


EDITABLE_FIELDS = (
    "kind",
    "category",
    "municipality",
    "language",
    "title",
    "description",
    "quantity",
    "unit",
    "transport_needed",
    "valid_until",
)


def reindex(listing: Listing) -> None:
    search.index(listing)


def follow_area(sender, instance, **kwargs) -> None:
    """A municipality saved (``post_save``): its listings of another area move to its area,
    in the search index too."""
    listings = Listing.objects.filter(municipality=instance)
    if listings.exclude(area=instance.area_id).update(area=instance.area_id):
        search.index_all(listings)


def transition(listing: Listing, to: str, *, actor, note: str = "") -> Listing:
    """Change a listing's status and record who did it, when and why."""
    first = {"published_at": timezone.now()} if to == Status.PUBLISHED else None
    previous = lifecycle.transition(listing, to, first=first)
    ListingEvent.objects.create(
        listing=listing, actor=actor, from_status=previous, to_status=to, note=note
    )
    return listing


def needs_moderation(author, district) -> bool:
    if not district.moderate_new_accounts or not coordinator_scope(author).is_empty:
        return False
    return author.date_joined > timezone.now() - NEW_ACCOUNT_AGE


def after_publish(listing: Listing) -> None:
    from hilfenetz.exchange import alerts

    transaction.on_commit(lambda: alerts.notify_immediately.enqueue(listing.pk))
    similarity.schedule(listing)
