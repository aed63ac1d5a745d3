"""Networking-platform workflows, one module per step (proposals, invitations, answers,
experts, holding, minutes, reminders, the board). Views, the API, the admin and the periodic
tasks call these; they decide, lock, write, record the step and queue the mail."""

from hilfenetz.network.services.board import (
    mark_helpful,
    reply,
    report_post,
    resolve_report,
    send_board_digests,
    start_thread,
)
from hilfenetz.network.services.common import (
    EXPERT_LINKS,
    MEETING_FIELDS,
    MINUTES_LINKS,
    PLATFORM_FIELDS,
    RSVP_LINKS,
    minutes_url,
    rsvp_url,
)
from hilfenetz.network.services.experts import expert_answer, invite_expert
from hilfenetz.network.services.holding import cancel, mark_held, record_attendance, reschedule
from hilfenetz.network.services.invitations import (
    new_recipients,
    recipients,
    register,
    send_invitations,
)
from hilfenetz.network.services.minutes import publish_minutes, save_minutes
from hilfenetz.network.services.platforms import follow, set_digest, unfollow, update_platform
from hilfenetz.network.services.proposals import agree, propose, send_back, update_meeting
from hilfenetz.network.services.reminders import send_reminders
from hilfenetz.network.services.rsvp import (
    attendance_totals,
    attending_people,
    attending_people_column,
    free_places,
    rsvp,
    rsvp_by_link,
    undo_rsvp_by_link,
)
from hilfenetz.network.services.structure import Structure, structure

__all__ = [
    "EXPERT_LINKS",
    "MEETING_FIELDS",
    "MINUTES_LINKS",
    "PLATFORM_FIELDS",
    "RSVP_LINKS",
    "Structure",
    "agree",
    "attendance_totals",
    "attending_people",
    "attending_people_column",
    "cancel",
    "expert_answer",
    "follow",
    "free_places",
    "invite_expert",
    "mark_held",
    "mark_helpful",
    "minutes_url",
    "propose",
    "publish_minutes",
    "new_recipients",
    "recipients",
    "record_attendance",
    "register",
    "reply",
    "report_post",
    "reschedule",
    "resolve_report",
    "rsvp",
    "rsvp_by_link",
    "rsvp_url",
    "save_minutes",
    "send_back",
    "send_board_digests",
    "send_invitations",
    "send_reminders",
    "set_digest",
    "start_thread",
    "structure",
    "undo_rsvp_by_link",
    "unfollow",
    "update_meeting",
    "update_platform",
]
