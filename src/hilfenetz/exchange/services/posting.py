"""A need or an offer posted (also on someone's behalf), changed, and its photos."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import images, lifecycle, texts
from hilfenetz.core.predicates import allowed, require
from hilfenetz.exchange import ratelimit, similarity
from hilfenetz.exchange.models import (
    MAX_PHOTOS,
    ConsentRecord,
    Listing,
    ListingEvent,
    ListingPhoto,
    PledgeStatus,
    Status,
)
from hilfenetz.exchange.services.common import (
    EDITABLE_FIELDS,
    ON_BEHALF_REFUSED,
    after_publish,
    needs_moderation,
    reindex,
    transition,
)


@transaction.atomic
def create_listing(
    author,
    *,
    publish: bool = True,
    organisation=None,
    consent_agreement: str = "",
    photo=None,
    photo_alt: str = "",
    **fields,
) -> Listing:
    """Create a need or offer. Published at once, or pending while the account is new and the
    district moderates new accounts. ``consent_agreement``: a coordinator posts on behalf of
    someone without an account, recording what they agreed to."""
    require("exchange.create_listing", author)
    ratelimit.check("post", author)
    if organisation is not None and not allowed("organisation.leave", author, organisation):
        raise PermissionDenied(_("You are not a member of this organisation."))
    listing = Listing(author=author, organisation=organisation, **fields)
    if consent_agreement:
        if not allowed("exchange.post_on_behalf", author, listing.municipality):
            raise PermissionDenied(ON_BEHALF_REFUSED)
        listing.consent = ConsentRecord.objects.create(
            recorded_by=author, agreement=consent_agreement
        )
    if listing.valid_until is None:
        listing.valid_until = timezone.localdate() + timedelta(
            days=listing.municipality.district.listing_validity_days
        )
    if listing.quantity is not None:
        listing.remaining = listing.quantity
    listing.full_clean()
    listing.save()
    ListingEvent.objects.create(listing=listing, actor=author, to_status=Status.DRAFT)
    if photo is not None:
        add_photo(listing, author, photo, photo_alt)
    if publish:
        submit(listing, actor=author)
    reindex(listing)
    return listing


def submit(listing: Listing, *, actor) -> Listing:
    district = listing.municipality.district
    if needs_moderation(listing.author, district):
        return transition(listing, Status.PENDING, actor=actor)
    transition(listing, Status.PUBLISHED, actor=actor)
    after_publish(listing)
    return listing


@transaction.atomic
def update_listing(listing: Listing, actor, **fields) -> Listing:
    """Save changes. A published listing goes back to moderation when its district requires
    moderation for the author (unless a moderator edits it). The row is locked and its status
    read again: an edit begun before a moderator blocked the listing must not undo the block."""
    listing = lifecycle.locked(listing)
    require("exchange.edit_listing", actor, listing)
    was_published = listing.status == Status.PUBLISHED
    photo, photo_alt = fields.pop("photo", None), fields.pop("photo_alt", "")
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(listing, name, value)
    if listing.quantity is None:
        listing.remaining = None
    else:
        pledged = sum(p.quantity for p in listing.pledges.filter(status=PledgeStatus.ACTIVE))
        listing.remaining = max(listing.quantity - pledged, 0)
    listing.full_clean()
    listing.save()
    reindex(listing)
    if photo is not None:
        add_photo(listing, actor, photo, photo_alt)
    if (
        was_published
        and not allowed("exchange.moderate", actor, listing)
        and needs_moderation(listing.author, listing.municipality.district)
    ):
        transition(listing, Status.PENDING, actor=actor, note="edited; moderation required")
    similarity.schedule(listing)
    return listing


@transaction.atomic
def add_photo(listing: Listing, actor, upload, alt_text: str) -> ListingPhoto:
    """Add a photo: checked by content, EXIF stripped, resized, stored through the default
    storage (see core/images.py)."""
    require("exchange.edit_listing", actor, listing)
    alt_text = texts.required(alt_text, _("Please describe the photo in a few words."))
    upload = images.prepare_image(upload)
    lifecycle.locked(listing)
    if listing.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos per listing.") % {"n": MAX_PHOTOS})
    return images.save_image(
        ListingPhoto(listing=listing, alt_text=alt_text[:200]), "image", upload
    )


@transaction.atomic
def delete_photo(photo: ListingPhoto, actor) -> None:
    require("exchange.edit_listing", actor, photo.listing)
    images.delete_image(photo, "image")
