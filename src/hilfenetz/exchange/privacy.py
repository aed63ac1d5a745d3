"""The help exchange's part of a person's data export and erasure."""

from django.db import transaction
from django.db.models import F

from hilfenetz.core import privacy
from hilfenetz.exchange.models import (
    OPEN_STATUSES,
    Listing,
    Message,
    Pledge,
    PledgeStatus,
    SavedSearch,
    Status,
)


def export(user) -> dict:
    return {
        "listings": [
            {
                "id": listing.pk,
                "kind": listing.kind,
                "title": listing.title,
                "description": listing.description,
                "status": listing.status,
                "created": listing.created_at.isoformat(),
            }
            for listing in Listing.objects.filter(author=user)
        ],
        "pledges": [
            {"listing": p.listing_id, "quantity": p.quantity, "status": p.status}
            for p in Pledge.objects.filter(helper=user)
        ],
        "messages": [
            {
                "conversation": m.conversation_id,
                "body": m.body,
                "sent": m.created_at.isoformat(),
            }
            for m in Message.objects.filter(sender=user)
        ],
        "saved_searches": [
            {"query": s.query, "kind": s.kind, "frequency": s.frequency}
            for s in SavedSearch.objects.filter(user=user)
        ],
    }


@transaction.atomic
def erase(user) -> None:
    from hilfenetz.exchange import services

    Message.objects.filter(sender=user).delete()
    for pledge in Pledge.objects.filter(helper=user, status=PledgeStatus.ACTIVE):
        # an open promise disappears with the person: the quantity is open again
        Listing.objects.filter(pk=pledge.listing_id, remaining__isnull=False).update(
            remaining=F("remaining") + pledge.quantity
        )
    Pledge.objects.filter(helper=user).delete()
    SavedSearch.objects.filter(user=user).delete()
    for listing in Listing.objects.filter(author=user, status__in=OPEN_STATUSES):
        services.transition(listing, Status.WITHDRAWN, actor=None, note="account deleted")
    for listing in Listing.objects.filter(author=user):
        listing.title = "—"
        listing.description = ""
        listing.organisation = None
        listing.save(update_fields=["title", "description", "organisation", "updated_at"])
        services.reindex(listing)


privacy.register("exchange", export=export, erase=erase)
