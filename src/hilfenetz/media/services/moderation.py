"""An item published, withdrawn, waiting for moderation and approved, and confirmed as current."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.predicates import allowed, require
from hilfenetz.media.models import MediaItem, MediaPolicy, PlatformDocument, Status
from hilfenetz.media.services.common import REVIEW_INTERVAL


def needs_moderation(user, item: MediaItem) -> bool:
    if item.organisation_id is None or allowed("media.moderate", user, item):
        return False
    policy = MediaPolicy.objects.filter(district_id=item.district_id).first()
    return policy is None or policy.moderate_organisation_items


def transition(item: MediaItem, to: str, actor, action: str, note: str = "") -> MediaItem:
    first = {"published_on": timezone.localdate()} if to == Status.PUBLISHED else None
    lifecycle.transition(item, to, first=first)
    audit.record(item, action, actor=actor, note=note)
    return item


def submit(item: MediaItem, actor) -> MediaItem:
    if needs_moderation(actor, item):
        return transition(item, Status.PENDING, actor, "submit")
    return transition(item, Status.PUBLISHED, actor, "publish")


@transaction.atomic
def publish(user, item: MediaItem) -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    if item.status == Status.PUBLISHED:
        return item
    if not item.files.exists() and item.platform_document != PlatformDocument.OFFICES:
        raise ValidationError(_("Please add a file or an address first."))
    return submit(item, user)


@transaction.atomic
def withdraw(user, item: MediaItem, note: str = "") -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    return transition(item, Status.WITHDRAWN, user, "withdraw", note)


@transaction.atomic
def approve(user, item: MediaItem) -> MediaItem:
    require("media.moderate", user, item)
    item = lifecycle.locked(item)
    if item.status != Status.PENDING:
        raise ValidationError(_("Only items waiting for moderation can be approved."))
    return transition(item, Status.PUBLISHED, user, "publish")


@transaction.atomic
def mark_reviewed(user, item: MediaItem) -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    item.reviewed_at = timezone.now()
    item.review_by = timezone.localdate() + REVIEW_INTERVAL
    item.save(update_fields=["reviewed_at", "review_by", "updated_at"])
    audit.record(item, "review", actor=user)
    return item
