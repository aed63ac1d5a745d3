"""Answers to a listing: pledges, conversations and the contact data shared in them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle, texts
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.exchange import ratelimit
from hilfenetz.exchange.models import (
    Conversation,
    Listing,
    ListingEvent,
    Message,
    Pledge,
    PledgeStatus,
)
from hilfenetz.exchange.services import rides


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


def withdraw_pledge(promised: Pledge, person) -> Pledge:
    """The giver takes back a promise: its quantity is open again, the need's author is told,
    and a driver who promised to bring it is told not to drive."""
    with transaction.atomic():
        listing = lifecycle.locked(promised.listing)
        promised = Pledge.objects.select_for_update().get(pk=promised.pk)
        promised.listing = listing
        require("exchange.withdraw_pledge", person, promised)
        promised.status = PledgeStatus.CANCELLED
        promised.save(update_fields=["status"])
        if listing.remaining is not None:
            Listing.objects.filter(pk=listing.pk).update(
                remaining=F("remaining") + promised.quantity
            )
            listing.remaining += promised.quantity
        ListingEvent.objects.create(
            listing=listing,
            actor=person,
            from_status=listing.status,
            to_status=listing.status,
            note=f"pledge {promised.pk} withdrawn",
        )
        queue_mail(
            f"exchange-pledge-withdrawn:{promised.pk}",
            listing.author,
            "exchange/mail/pledge_withdrawn",
            {"listing": listing, "pledge": promised, "helper": person.display_name},
        )
        rides.cancel_rides(listing, [promised])
    return promised


@transaction.atomic
def answer(listing: Listing, person, body: str) -> Conversation:
    """ "I can help" / "I need this": open (or continue) the private conversation."""
    require("exchange.answer", person, listing)
    ratelimit.check("answer", person)
    conversation, _created = Conversation.objects.get_or_create(listing=listing, helper=person)
    add_message(conversation, person, body)
    return conversation


@transaction.atomic
def send_message(conversation: Conversation, sender, body: str) -> Message:
    require("exchange.view_conversation", sender, conversation)
    ratelimit.check("answer", sender)
    return add_message(conversation, sender, body)


def add_message(
    conversation: Conversation, sender, body: str, language: str | None = None
) -> Message:
    """``language``: of the text, when someone else than ``sender`` wrote it (a person
    without an account answers on a listing posted for them, see slips)."""
    body = texts.required(body, _("Please write a message."))
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        body=body,
        language=language or sender.preferred_language,
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
