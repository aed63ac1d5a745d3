"""Help-exchange workflows, one module per step (posting, answers, closing, expiry, moderation,
matching). Views, the API, the admin and the tasks call these; they decide."""

from hilfenetz.exchange.services.answers import (
    answer,
    contact_of_other_side,
    pledge,
    send_message,
    share_contact,
    withdraw_pledge,
)
from hilfenetz.exchange.services.closing import mark_fulfilled, withdraw
from hilfenetz.exchange.services.common import (
    EDITABLE_FIELDS,
    ON_BEHALF_REFUSED,
    follow_area,
    reindex,
    transition,
)
from hilfenetz.exchange.services.expiry import (
    expire,
    extend,
    reminder_action,
    reminder_done,
    undo_reminder_action,
)
from hilfenetz.exchange.services.matching import matches
from hilfenetz.exchange.services.moderation import (
    approve,
    block,
    dismiss_report,
    open_reports,
    report,
    waiting_listings,
)
from hilfenetz.exchange.services.posting import (
    add_photo,
    create_listing,
    delete_photo,
    update_listing,
)
from hilfenetz.exchange.services.rides import (
    deliveries,
    pledge_ride,
    ride_offers,
    withdraw_ride,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ON_BEHALF_REFUSED",
    "add_photo",
    "answer",
    "approve",
    "block",
    "contact_of_other_side",
    "create_listing",
    "delete_photo",
    "deliveries",
    "dismiss_report",
    "expire",
    "extend",
    "follow_area",
    "mark_fulfilled",
    "matches",
    "open_reports",
    "pledge",
    "pledge_ride",
    "reindex",
    "reminder_action",
    "reminder_done",
    "ride_offers",
    "report",
    "send_message",
    "share_contact",
    "transition",
    "undo_reminder_action",
    "update_listing",
    "waiting_listings",
    "withdraw",
    "withdraw_pledge",
    "withdraw_ride",
]
