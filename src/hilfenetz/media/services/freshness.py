"""Items past their review date: listed for those who keep them and reminded by mail."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from hilfenetz.accounts.models import Membership
from hilfenetz.core.mail import queue_mail
from hilfenetz.media.models import MediaItem, Status
from hilfenetz.media.services.common import REMINDER_REPEAT_DAYS
from hilfenetz.regions.models import CoordinatorRole


def review_due(user, today: date | None = None):
    return MediaItem.objects.editable_by(user).review_overdue(today).order_by("review_by")


def needing_attention(user, today: date | None = None) -> tuple[list, list]:
    """The items the user manages that wait for moderation (latest change first) and those past
    their review date (most overdue first), read in one query."""
    items = list(
        MediaItem.objects.editable_by(user)
        .filter(Q(status=Status.PENDING) | MediaItem.objects.overdue(today))
        .select_related("district", "municipality", "organisation")
        .order_by("-updated_at")
    )
    pending = [item for item in items if item.status == Status.PENDING]
    overdue = sorted((item for item in items if item not in pending), key=lambda i: i.review_by)
    return pending, overdue


def remind_reviews(today: date | None = None) -> int:
    """Mail coordinators and organisation admins whose published items are past their review
    date, at most once per reminder window."""
    today = today or timezone.localdate()
    if not MediaItem.objects.review_overdue(today).exists():
        return 0
    window = today.toordinal() // REMINDER_REPEAT_DAYS
    people = {r.user for r in CoordinatorRole.objects.select_related("user")}
    people |= {
        m.user
        for m in Membership.objects.active()
        .admins()
        .filter(organisation__media_items__isnull=False)
        .select_related("user")
    }
    sent = 0
    for person in sorted((p for p in people if p.is_active), key=lambda p: p.pk):
        items = list(review_due(person, today))
        if not items:
            continue
        queue_mail(
            f"media.review:{person.pk}:{window}",
            person,
            "media/mail/review",
            {"user": person, "items": items},
        )
        sent += 1
    return sent
