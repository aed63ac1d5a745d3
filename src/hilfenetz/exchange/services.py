"""Help-exchange workflows. Views, the API, the admin and the tasks call these; they decide."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hilfenetz.core import images, lifecycle, search
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, require
from hilfenetz.core.scoping import coordinator_scope
from hilfenetz.exchange import ratelimit, similarity
from hilfenetz.exchange.models import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    ConsentRecord,
    Conversation,
    Kind,
    Listing,
    ListingEvent,
    ListingPhoto,
    Message,
    Pledge,
    PledgeStatus,
    Report,
    Status,
)

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
    _after_publish(listing)
    return listing


def _after_publish(listing: Listing) -> None:
    from hilfenetz.exchange import alerts

    transaction.on_commit(lambda: alerts.notify_immediately.enqueue(listing.pk))
    similarity.schedule(listing)


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
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ValidationError(_("Please describe the photo in a few words."))
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


@transaction.atomic
def approve(listing: Listing, actor) -> Listing:
    require("exchange.moderate", actor, listing)
    listing = lifecycle.locked(listing)
    if listing.status != Status.PENDING:
        raise ValidationError(_("Only listings waiting for moderation can be approved."))
    transition(listing, Status.PUBLISHED, actor=actor, note="approved")
    _after_publish(listing)
    return listing


@transaction.atomic
def withdraw(listing: Listing, actor, note: str = "") -> Listing:
    if actor is not None and not allowed("exchange.close_listing", actor, listing):
        raise PermissionDenied
    listing = lifecycle.locked(listing)
    if listing.status not in OPEN_STATUSES:
        raise ValidationError(_("This listing is closed already."))
    transition(listing, Status.WITHDRAWN, actor=actor, note=note)
    active = list(listing.pledges.filter(status=PledgeStatus.ACTIVE).select_related("helper"))
    listing.pledges.filter(pk__in=[p.pk for p in active]).update(status=PledgeStatus.CANCELLED)
    for promised in active:  # the helpers should not bring anything any more
        queue_mail(
            f"exchange-withdrawn:{listing.pk}:{promised.pk}",
            promised.helper,
            "exchange/mail/withdrawn",
            {"listing": listing, "pledge": promised},
        )
    return listing


@transaction.atomic
def mark_fulfilled(listing: Listing, actor, *, pledge: Pledge | None = None) -> Listing:
    """Mark the whole listing fulfilled, or one pledge (the listing follows once nothing
    remains and no pledge is open)."""
    if actor is not None and not allowed("exchange.close_listing", actor, listing):
        raise PermissionDenied
    listing = lifecycle.locked(listing)
    if listing.status not in OPEN_STATUSES:
        raise ValidationError(_("This listing is closed already."))
    if pledge is not None:
        if pledge.listing_id != listing.pk or pledge.status != PledgeStatus.ACTIVE:
            raise ValidationError(_("This promise cannot be marked fulfilled."))
        pledge.status = PledgeStatus.FULFILLED
        pledge.save(update_fields=["status"])
        still_open = listing.pledges.filter(status=PledgeStatus.ACTIVE).exists()
        if listing.remaining == 0 and not still_open:
            transition(listing, Status.FULFILLED, actor=actor, note=f"pledge {pledge.pk}")
        return listing
    listing.pledges.filter(status=PledgeStatus.ACTIVE).update(status=PledgeStatus.FULFILLED)
    transition(listing, Status.FULFILLED, actor=actor)
    return listing


@transaction.atomic
def block(listing: Listing, actor, reason: str) -> Listing:
    require("exchange.moderate", actor, listing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason; the author receives it."))
    listing = lifecycle.locked(listing)
    listing.blocked_reason = reason
    listing.save(update_fields=["blocked_reason"])
    transition(listing, Status.BLOCKED, actor=actor, note=reason)
    Report.objects.filter(listing=listing, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    queue_mail(
        f"exchange-blocked:{listing.pk}:{listing.events.count()}",
        listing.author,
        "exchange/mail/blocked",
        {"listing": listing, "reason": reason},
    )
    return listing


@transaction.atomic
def expire(listing: Listing) -> bool:
    listing = lifecycle.locked(listing)
    if listing.status != Status.PUBLISHED or listing.valid_until >= timezone.localdate():
        return False
    transition(listing, Status.EXPIRED, actor=None, note="valid_until passed")
    return True


@transaction.atomic
def extend(listing: Listing, actor=None) -> Listing:
    """Keep a listing open for another validity period."""
    if actor is not None and not allowed("exchange.close_listing", actor, listing):
        raise PermissionDenied
    listing = lifecycle.locked(listing)
    if listing.status not in (Status.PUBLISHED, Status.EXPIRED):
        raise ValidationError(_("This listing cannot be extended."))
    days = listing.municipality.district.listing_validity_days
    listing.valid_until = timezone.localdate() + timedelta(days=days)
    listing.reminder_sent_at = None
    listing.save(update_fields=["valid_until", "reminder_sent_at", "updated_at"])
    if listing.status == Status.EXPIRED:
        transition(listing, Status.PUBLISHED, actor=actor, note="extended")
    else:
        ListingEvent.objects.create(
            listing=listing,
            actor=actor,
            from_status=listing.status,
            to_status=listing.status,
            note=f"extended until {listing.valid_until}",
        )
    return listing


def reminder_done(listing: Listing, action: str) -> bool:
    """Whether a one-click action of the "still needed?" mail has nothing left to do: the
    listing is closed that way already, or open for a whole period from today."""
    if action == "extend":
        days = listing.municipality.district.listing_validity_days
        return listing.status == Status.PUBLISHED and listing.valid_until >= (
            timezone.localdate() + timedelta(days=days)
        )
    return listing.status == {"fulfilled": Status.FULFILLED, "withdraw": Status.WITHDRAWN}.get(
        action
    )


@transaction.atomic
def reminder_action(listing: Listing, action: str) -> dict | None:
    """Carry out a one-click action of the "still needed?" mail (no login: the signed link is
    the authority). Returns what :func:`undo_reminder_action` needs to take it back, or None
    if it was done already (so a second click records nothing twice)."""
    listing = lifecycle.locked(listing)
    if reminder_done(listing, action):
        return None
    state = {
        "status": listing.status,
        "valid_until": listing.valid_until.isoformat(),
        "pledges": list(
            listing.pledges.filter(status=PledgeStatus.ACTIVE).values_list("pk", flat=True)
        ),
    }
    if action == "extend":
        extend(listing)
    elif action == "fulfilled":
        mark_fulfilled(listing, None)
    elif action == "withdraw":
        withdraw(listing, None, note="reminder link")
    else:
        raise ValidationError(_("Unknown action."))
    return state


@transaction.atomic
def undo_reminder_action(listing: Listing, action: str, state: dict) -> Listing:
    """Take back a one-click action, if nothing else happened to the listing since."""
    from datetime import date

    listing = lifecycle.locked(listing)
    previous_status = state["status"]
    valid_until = date.fromisoformat(state["valid_until"])
    pledge_ids = state.get("pledges", [])
    if action == "extend":
        if listing.status != Status.PUBLISHED:
            raise ValidationError(_("This can no longer be undone."))
        listing.valid_until = valid_until
        listing.save(update_fields=["valid_until", "updated_at"])
        if previous_status != listing.status:
            transition(listing, previous_status, actor=None, note="undo extend")
        else:
            ListingEvent.objects.create(
                listing=listing,
                from_status=listing.status,
                to_status=listing.status,
                note=f"undo extend: valid until {valid_until}",
            )
        return listing
    undone = {"fulfilled": Status.FULFILLED, "withdraw": Status.WITHDRAWN}.get(action)
    if undone is None or listing.status != undone or previous_status not in OPEN_STATUSES:
        raise ValidationError(_("This can no longer be undone."))
    changed_to = PledgeStatus.FULFILLED if action == "fulfilled" else PledgeStatus.CANCELLED
    listing.pledges.filter(pk__in=pledge_ids, status=changed_to).update(status=PledgeStatus.ACTIVE)
    transition(listing, previous_status, actor=None, note=f"undo {action}")
    return listing


# --- answers, pledges and conversations -----------------------------------------------------


def pledge(listing: Listing, person, quantity: int = 1) -> Pledge:
    """Promise ``quantity`` of a listing. The row lock keeps the remaining quantity from going
    below zero and a person from promising twice, however many requests arrive at once."""
    with transaction.atomic():
        locked = lifecycle.locked(listing)
        require("exchange.pledge", person, locked)
        if quantity < 1:
            raise ValidationError(_("Please promise at least one."))
        if Pledge.objects.filter(
            listing=locked, helper=person, status=PledgeStatus.ACTIVE
        ).exists():
            raise ValidationError(_("You have already promised something for this listing."))
        if locked.remaining is not None:
            if quantity > locked.remaining:
                raise ValidationError(_("Only %(n)s remain.") % {"n": locked.remaining})
            Listing.objects.filter(pk=locked.pk).update(remaining=F("remaining") - quantity)
            locked.remaining -= quantity
        elif locked.quantity is None:
            quantity = 1
        created = Pledge.objects.create(listing=locked, helper=person, quantity=quantity)
        ListingEvent.objects.create(
            listing=locked,
            actor=person,
            from_status=locked.status,
            to_status=locked.status,
            note=f"pledge {created.pk}: {quantity}",
        )
        queue_mail(
            f"exchange-pledge:{created.pk}",
            locked.author,
            "exchange/mail/pledge",
            {"listing": locked, "pledge": created, "helper": person.display_name},
        )
    listing.remaining = locked.remaining
    return created


@transaction.atomic
def answer(listing: Listing, person, body: str) -> Conversation:
    """ "I can help" / "I need this": open (or continue) the private conversation."""
    require("exchange.answer", person, listing)
    ratelimit.check("answer", person)
    conversation, _created = Conversation.objects.get_or_create(listing=listing, helper=person)
    _add_message(conversation, person, body)
    return conversation


@transaction.atomic
def send_message(conversation: Conversation, sender, body: str) -> Message:
    require("exchange.view_conversation", sender, conversation)
    ratelimit.check("answer", sender)
    return _add_message(conversation, sender, body)


def _add_message(conversation: Conversation, sender, body: str) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Please write a message."))
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body, language=sender.preferred_language
    )
    recipient = conversation.other_side(sender)
    queue_mail(
        f"exchange-message:{message.pk}",
        recipient,
        "exchange/mail/message",
        {
            "listing": conversation.listing,
            "sender": sender.display_name,
            "url": reverse("exchange:conversation", args=[conversation.pk]),
        },
    )
    return message


@transaction.atomic
def share_contact(conversation: Conversation, user, share: bool = True) -> Conversation:
    """One side agrees (or no longer agrees) to share their e-mail address. Each side sees the
    other's address only while both agree."""
    require("exchange.view_conversation", user, conversation)
    field = (
        "author_shares_contact_at"
        if user.pk == conversation.listing.author_id
        else "helper_shares_contact_at"
    )
    value = timezone.now() if share else None
    Conversation.objects.filter(pk=conversation.pk).update(**{field: value})
    setattr(conversation, field, value)
    return conversation


def contact_of_other_side(conversation: Conversation, user) -> str:
    """The other side's e-mail address, only when both sides agreed to share."""
    require("exchange.view_conversation", user, conversation)
    if not conversation.contacts_shared:
        return ""
    return conversation.other_side(user).email


# --- reports and moderation -----------------------------------------------------------------


@transaction.atomic
def report(reporter, listing: Listing, reason: str, message: Message | None = None) -> Report:
    """Report a listing, or with ``message`` one message of a conversation about it."""
    if message is None:
        require("exchange.report", reporter, listing)
    elif message.conversation.listing_id != listing.pk or not allowed(
        "exchange.report_message", reporter, message
    ):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please tell us what is wrong."))
    ratelimit.check("report", reporter)
    return Report.objects.create(listing=listing, message=message, reporter=reporter, reason=reason)


@transaction.atomic
def dismiss_report(report_obj: Report, actor) -> Report:
    require("exchange.moderate", actor, report_obj.listing)
    report_obj.resolved_at = timezone.now()
    report_obj.resolved_by = actor
    report_obj.save(update_fields=["resolved_at", "resolved_by"])
    return report_obj


# --- matching -------------------------------------------------------------------------------


MATCH_CANDIDATES = 500


def matches(listing: Listing, limit: int = 10) -> list[Listing]:
    """Published listings of the other kind that may fit: same category, nearby first (same
    municipality, same area, rest of the district), then similarity of the text: the cosine of
    the multilingual embeddings (across languages, over every listing with a vector, through
    the in-memory similarity.VectorIndex), or the full-text rank where the model or a vector is
    missing (over the most recent listings without one)."""
    other = Kind.OFFER if listing.kind == Kind.NEED else Kind.NEED
    qs = (
        Listing.objects.published()
        .filter(kind=other, category_id=listing.category_id)
        .in_district(listing.municipality.district_id)
        .exclude(author_id=listing.author_id)
    )
    own_vector = Listing.objects.filter(pk=listing.pk).values_list("embedding", flat=True).first()
    vectors = similarity.index() if own_vector else None
    scored = []
    if vectors is not None:
        # Twice as many as needed: a row unpublished since the last refresh is dropped below.
        for nearness, score, pk in vectors.nearest(own_vector, listing, other, 2 * limit + 5):
            scored.append((nearness, False, score, 0, pk))
        qs = qs.filter(embedding__isnull=True)
    candidates = list(
        qs.order_by("-published_at", "-pk").values_list(
            "pk", "municipality_id", "municipality__area_id"
        )[:MATCH_CANDIDATES]
    )
    if candidates:
        text = f"{listing.title} {listing.description}"
        full_text = search.ranked(qs, text, any_word=True).scores
    area_id = listing.municipality.area_id
    for position, (pk, municipality_id, candidate_area_id) in enumerate(candidates):
        nearness = (
            0
            if municipality_id == listing.municipality_id
            else 1
            if candidate_area_id == area_id
            else 2
        )
        scored.append((nearness, True, -full_text.get(pk, 0.0), position, pk))
    ranked = [pk for *_key, pk in sorted(scored)]
    found = Listing.objects.published().filter(pk__in=ranked).for_display().in_bulk()
    return [found[pk] for pk in ranked if pk in found][:limit]
