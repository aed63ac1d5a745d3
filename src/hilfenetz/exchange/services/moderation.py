"""Listings approved or blocked by a coordinator, and reports of listings and messages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import lifecycle, texts
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, require
from hilfenetz.exchange import ratelimit
from hilfenetz.exchange.models import Listing, Message, Report, Status
from hilfenetz.exchange.services.common import after_publish, transition


def waiting_listings(user):
    """The listings waiting for ``user``'s approval (the coordinated scope), oldest first."""
    return (
        Listing.objects.coordinated_by(user)
        .filter(status=Status.PENDING)
        .for_list()
        .order_by("created_at")
    )


def open_reports(user):
    """The open reports of listings and messages in ``user``'s scope, oldest first."""
    return (
        Report.objects.coordinated_by(user)
        .open()
        .select_related("listing__municipality", "message")
        .only(  # what a report's row shows
            "reason",
            "listing__title",
            "listing__language",
            "listing__municipality__name",
            "message__body",
            "message__language",
        )
        .order_by("created_at")
    )


@transaction.atomic
def approve(listing: Listing, actor) -> Listing:
    require("exchange.moderate", actor, listing)
    listing = lifecycle.locked(listing)
    if listing.status != Status.PENDING:
        raise ValidationError(_("Only listings waiting for moderation can be approved."))
    transition(listing, Status.PUBLISHED, actor=actor, note="approved")
    after_publish(listing)
    return listing


@transaction.atomic
def block(listing: Listing, actor, reason: str) -> Listing:
    require("exchange.moderate", actor, listing)
    reason = texts.required(reason, _("Please give a reason; the author receives it."))
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
def report(reporter, listing: Listing, reason: str, message: Message | None = None) -> Report:
    """Report a listing, or with ``message`` one message of a conversation about it."""
    if message is None:
        require("exchange.report", reporter, listing)
    elif message.conversation.listing_id != listing.pk or not allowed(
        "exchange.report_message", reporter, message
    ):
        raise PermissionDenied
    reason = texts.required(reason, _("Please tell us what is wrong."))
    ratelimit.check("report", reporter)
    return Report.objects.create(listing=listing, message=message, reporter=reporter, reason=reason)


@transaction.atomic
def dismiss_report(report_obj: Report, actor) -> Report:
    require("exchange.moderate", actor, report_obj.listing)
    report_obj.resolved_at = timezone.now()
    report_obj.resolved_by = actor
    report_obj.save(update_fields=["resolved_at", "resolved_by"])
    return report_obj
