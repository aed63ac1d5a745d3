"""What the media centre's steps share: the review interval and the fields of an item, and
the names of the steps in an item's history."""

from datetime import timedelta

from django.utils.translation import gettext as _

from hilfenetz.core import audit

REVIEW_INTERVAL = timedelta(days=365)


REMINDER_REPEAT_DAYS = 14


ITEM_FIELDS = (
    "kind",
    "easy_language",
    "sign_language",
    "licence",
    "published_on",
    "review_by",
    "platform_document",
)


audit.define_actions(
    publish=_("published"),
    submit=_("submitted for moderation"),
    withdraw=_("withdrawn"),
    review=_("confirmed as current"),
    add_language=_("language added"),
)
