"""The accommodation intake: offers taken in while crisis mode is on, handled by the
coordinators of their municipality and district."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.predicates import permitted, require
from hilfenetz.crisis.models import AccommodationOffer, CrisisMode, OfferStatus

audit.define_actions(
    offer_placed=gettext_lazy("placed"),
    offer_not_suitable=gettext_lazy("marked not suitable"),
    offer_new=gettext_lazy("reopened"),
)


def intake_open(municipality) -> bool:
    return CrisisMode.objects.filter(district=municipality.district_id, is_on=True).exists()


@transaction.atomic
def offer_accommodation(person, *, municipality, **details) -> AccommodationOffer:
    require("crisis.offer_accommodation", person)
    if not intake_open(municipality):
        raise ValidationError(_("The district takes no offers of accommodation at the moment."))
    until = details.get("available_until")
    if until is not None and until < details["available_from"]:
        raise ValidationError(_("The end lies before the start."))
    offer = AccommodationOffer(offered_by=person, municipality=municipality, **details)
    offer.full_clean()
    offer.save()
    return offer


def offers_for(user):
    """The offers ``user`` handles: those of the municipalities and districts they coordinate."""
    return permitted(
        "crisis.handle_offer",
        user,
        AccommodationOffer.objects.select_related("municipality", "offered_by"),
    )


@transaction.atomic
def mark_offer(offer: AccommodationOffer, actor, status: str) -> AccommodationOffer:
    require("crisis.handle_offer", actor, offer)
    if status not in OfferStatus.values:
        raise ValidationError(_("Choose one of the offered states."))
    offer = lifecycle.locked(offer, "municipality")
    previous, offer.status = offer.status, status
    offer.save(update_fields=["status"])
    # the offer's scope and state only: who offered stays out of the history
    audit.record(offer, f"offer_{status}", actor=actor, changes={"from": previous})
    return offer


@transaction.atomic
def delete_offer(offer: AccommodationOffer, actor) -> None:
    """Delete an offer that is no longer needed (with who offered it); the history keeps that
    it existed, not what it said."""
    require("crisis.handle_offer", actor, offer)
    audit.record(offer, "delete", actor=actor)
    offer.delete()
