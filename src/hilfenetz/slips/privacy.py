"""Slips in a person's data export and erasure: a coordinator's slips are about the people
they posted for; they are exported with the coordinator's data and erased with it."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hilfenetz.core import privacy
from hilfenetz.slips.models import ERASED, Slip

FIELDS = ("pseudonym", "language", "valid_until", "revoked_at", "phone", "created_at")


def export(user) -> dict:
    # one row per slip and listing, in one query (the export reads each table once)
    slips: dict[int, dict] = {}
    rows = Slip.objects.filter(created_by=user).order_by("pk").values("pk", *FIELDS, "listings")
    for row in rows:
        slip = slips.setdefault(
            row["pk"],
            {"id": row["pk"], **{name: row[name] for name in FIELDS}, "listings": []},
        )
        if row["listings"] is not None:
            slip["listings"].append(row["listings"])
    for slip in slips.values():
        for name in ("valid_until", "revoked_at", "created_at"):
            slip[name] = slip[name].isoformat() if slip[name] else None
    return {"slips": list(slips.values())}


@transaction.atomic
def erase(user) -> None:
    """The slips a deleted coordinator printed, or of their listings, stop working and keep
    nothing personal."""
    slips = Slip.objects.filter(
        pk__in=Slip.objects.filter(Q(created_by=user) | Q(listings__author=user)).values("pk")
    )
    slips.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    slips.update(pseudonym=ERASED, phone="", sms_consent_at=None)


privacy.register("slips", export=export, erase=erase)
