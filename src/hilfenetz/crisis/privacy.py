"""Crisis mode's part of a person's data export and erasure: their offers of accommodation
and whether they asked for the crisis alert."""

from django.db import transaction

from hilfenetz.core import privacy
from hilfenetz.crisis.models import AccommodationOffer, AlertRequest


def export(user) -> dict:
    offers = AccommodationOffer.objects.filter(offered_by=user).select_related("municipality")
    return {
        "crisis_alert": AlertRequest.objects.filter(user=user).exists(),
        "accommodation_offers": [
            {
                "municipality": offer.municipality.name,
                "people": offer.people,
                "from": offer.available_from.isoformat(),
                "until": offer.available_until.isoformat() if offer.available_until else None,
                "accessible": offer.accessible,
                "note": offer.note,
                "status": offer.status,
                "created": offer.created_at.isoformat(),
            }
            for offer in offers
        ],
    }


@transaction.atomic
def erase(user) -> None:
    AccommodationOffer.objects.filter(offered_by=user).delete()
    AlertRequest.objects.filter(user=user).delete()


privacy.register("crisis", export=export, erase=erase)
