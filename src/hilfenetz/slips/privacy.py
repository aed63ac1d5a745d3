"""Slips in a person's data export and erasure: a coordinator's slips are about the people
they posted for; they are exported with the coordinator's data and erased with it."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hilfenetz.core import privacy
from hilfenetz.slips.models import Slip


def export(user) -> dict:
    return {
        "slips": [
            {
                "id": slip.pk,
                "pseudonym": slip.pseudonym,
                "language": slip.language,
                "listings": [listing.pk for listing in slip.listings.all()],
                "valid_until": slip.valid_until.isoformat(),
                "revoked": slip.revoked_at.isoformat() if slip.revoked_at else None,
                "phone": slip.phone,
                "created": slip.created_at.isoformat(),
            }
            for slip in Slip.objects.filter(created_by=user).prefetch_related("listings")
        ]
    }


@transaction.atomic
def erase(user) -> None:
    """The slips a deleted coordinator printed, or of their listings, stop working and keep
    nothing personal."""
    slips = Slip.objects.filter(
        pk__in=Slip.objects.filter(Q(created_by=user) | Q(listings__author=user)).values("pk")
    )
    slips.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    slips.update(pseudonym="—", phone="", sms_consent_at=None)


privacy.register("slips", export=export, erase=erase)
