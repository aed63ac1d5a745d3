"""What the steps of the networking platform share: signed links, the fields a meeting and a
platform have, and the mails to those invited and to the organisers."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

from hilfenetz.core.mail import queue_mail
from hilfenetz.core.signed_links import SignedLinks
from hilfenetz.network.models import Expert, Invitation, Meeting

MAX_PEOPLE = 10
RSVP_LINKS = SignedLinks(
    "network.rsvp",
    ("yes", "maybe", "no"),
    max_age=timedelta(days=120),
    undo_max_age=timedelta(days=2),
)
MINUTES_LINKS = SignedLinks("network.minutes", ("read",), max_age=timedelta(days=365))
EXPERT_LINKS = SignedLinks("network.expert", ("answer",), max_age=timedelta(days=120))
MEETING_FIELDS = (
    "kind",
    "title",
    "description",
    "language",
    "starts_at",
    "ends_at",
    "time_zone",
    "format",
    "address",
    "accessibility",
    "online_link",
    "capacity",
    "meeting_languages",
    "interpreting",
    "reminder_days",
)
PLATFORM_FIELDS = ("name", "description", "translations", "position", "is_active")


def expect_status(meeting: Meeting, *statuses, message: str) -> None:
    if meeting.status not in statuses:
        raise ValidationError(message)


def rsvp_url(invitation: Invitation, answer: str) -> str:
    return reverse(
        "network:rsvp_link", args=[invitation.pk, RSVP_LINKS.token(invitation.pk, answer)]
    )


def minutes_url(invitation: Invitation) -> str:
    token = MINUTES_LINKS.token(invitation.pk, "read")
    return reverse("network:minutes_link", args=[invitation.pk, token])


def expert_url(expert: Expert) -> str:
    return reverse("network:expert_link", args=[expert.pk, EXPERT_LINKS.token(expert.pk, "answer")])


def mail_invited(meeting: Meeting, template: str, key: str, **context) -> int:
    """Mail everyone invited to ``meeting`` (each in their language, each once per ``key``)."""
    invitations = list(meeting.invitations.select_related("user"))
    for invitation in invitations:
        queue_mail(
            f"network-{key}:{meeting.pk}:{invitation.pk}",
            invitation.email,
            template,
            {"meeting": meeting, "invitation": invitation, **context},
            language=invitation.language,
        )
    return len(invitations)


def mail_organisers(meeting: Meeting, template: str, key: str, **context) -> None:
    for organiser in meeting.organisers.all():
        queue_mail(
            f"network-{key}:{meeting.pk}:{organiser.pk}",
            organiser,
            template,
            {"meeting": meeting, **context},
        )
