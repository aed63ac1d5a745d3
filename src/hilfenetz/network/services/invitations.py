"""Who is invited to a meeting and why, the invitations sent once each, and people who register themselves."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import MembershipRole, MembershipStatus, Organisation, User
from hilfenetz.accounts.models import OrganisationKind as Kind
from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.directory.models import Office
from hilfenetz.network import timeline
from hilfenetz.network.models import Follow, Invitation, InvitationReason, Meeting, MeetingStatus
from hilfenetz.network.services.common import expect_status, rsvp_url


def groups_without_speaker(meeting: Meeting):
    """Working groups in the meeting's municipalities that have no speaker, or no
    coordination office serving their municipality."""
    municipality_ids = list(meeting.municipalities.values_list("pk", flat=True))
    served = Office.objects.filter(municipalities__in=municipality_ids).values("municipalities")
    return (
        Organisation.objects.active()
        .filter(kind=Kind.WORKING_GROUP, municipality_id__in=municipality_ids)
        .filter(Q(has_speaker=False) | ~Q(municipality_id__in=served))
        .prefetch_related("memberships__user")
    )


def _organisation_contacts(organisation: Organisation) -> list[tuple[str, str, User | None]]:
    """The addresses an organisation is reached at: its public address from the directory,
    else its admins."""
    if organisation.public_email:
        return [(organisation.public_email, "de", None)]
    return [
        (m.user.email, m.user.preferred_language, m.user)
        for m in organisation.memberships.all()
        if m.user_id and m.status == MembershipStatus.ACTIVE and m.role == MembershipRole.ADMIN
    ]


def recipients(meeting: Meeting) -> list[dict]:
    """Who is invited: the people following the platform who live in the meeting's
    municipalities (or told no place), the organisations following it there, and always the
    working groups without speaker or coordination office there. One entry per address."""
    municipality_ids = set(meeting.municipalities.values_list("pk", flat=True))
    found: dict[str, dict] = {}

    def add(email, language, user, organisation, reason):
        if email and email.lower() not in found:
            found[email.lower()] = {
                "email": email,
                "language": language,
                "user": user,
                "organisation": organisation,
                "reason": reason,
            }

    follows = Follow.objects.filter(platform=meeting.platform).select_related("user")
    for f in follows.filter(user__isnull=False, user__is_active=True).filter(
        Q(user__home_municipality__in=municipality_ids) | Q(user__home_municipality__isnull=True)
    ):
        add(f.user.email, f.user.preferred_language, f.user, None, InvitationReason.FOLLOWER)
    organisations = Organisation.objects.active().filter(
        Q(municipality__in=municipality_ids)
        | Q(municipality__isnull=True, district=meeting.platform.district_id)
    )
    for organisation in organisations.filter(
        platform_follows__platform=meeting.platform
    ).prefetch_related("memberships__user"):
        for email, language, user in _organisation_contacts(organisation):
            add(email, language, user, organisation, InvitationReason.ORGANISATION)
    for group in groups_without_speaker(meeting):
        for email, language, user in _organisation_contacts(group):
            add(email, language, user, group, InvitationReason.GROUP)
    return list(found.values())


def create_invitations(meeting: Meeting) -> list[Invitation]:
    existing = set(meeting.invitations.values_list("email", flat=True))
    new = [
        Invitation(meeting=meeting, **r) for r in recipients(meeting) if r["email"] not in existing
    ]
    return Invitation.objects.bulk_create(new)


def _mail_invitation(meeting: Meeting, invitation: Invitation) -> None:
    queue_mail(
        f"network-invitation:{meeting.pk}:{invitation.pk}",
        invitation.email,
        "network/mail/invitation",
        {
            "meeting": meeting,
            "invitation": invitation,
            "yes_url": rsvp_url(invitation, "yes"),
            "maybe_url": rsvp_url(invitation, "maybe"),
            "no_url": rsvp_url(invitation, "no"),
        },
        language=invitation.language,
    )


@transaction.atomic
def send_invitations(meeting: Meeting, actor) -> int:
    """Invite everyone :func:`recipients` names, each by mail in their language with one-click
    answer links. Sending again invites only those not invited yet (e.g. new followers)."""
    require("network.manage_meeting", actor, meeting)
    meeting = lifecycle.locked(meeting, "platform")
    expect_status(
        meeting,
        MeetingStatus.AGREED,
        MeetingStatus.INVITED,
        message=_("Invitations can be sent once the district agreed."),
    )
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started already."))
    created = create_invitations(meeting)
    for invitation in created:
        _mail_invitation(meeting, invitation)
    if meeting.status == MeetingStatus.AGREED:
        meeting.status = MeetingStatus.INVITED
        meeting.save(update_fields=["status", "updated_at"])
    timeline.record(meeting, "invited", actor=actor, note=str(len(created)))
    return len(created)


def register(meeting: Meeting, person) -> Invitation:
    """The invitation of a logged-in person to an announced meeting: theirs, or a new one if
    they found the meeting on the page."""
    require("network.rsvp", person, meeting)
    invitation = meeting.invitations.filter(user=person).first()
    if invitation is not None:
        return invitation
    try:
        with transaction.atomic():
            return Invitation.objects.create(
                meeting=meeting,
                user=person,
                email=person.email,
                language=person.preferred_language,
                reason=InvitationReason.REGISTERED,
            )
    except IntegrityError:  # invited under this address already, or a double click
        return meeting.invitations.get(email=person.email)
