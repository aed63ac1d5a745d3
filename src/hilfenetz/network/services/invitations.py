"""Who is invited to a meeting and why, the invitations sent once each, and people who register themselves."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    User,
)
from hilfenetz.accounts.models import OrganisationKind as Kind
from hilfenetz.core import lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.directory.models import Office
from hilfenetz.network import timeline
from hilfenetz.network.models import Follow, Invitation, InvitationReason, Meeting, MeetingStatus
from hilfenetz.network.services.common import expect_status, rsvp_url


def _with_members():
    """Organisations' memberships with their people, in one query (their admins' addresses)."""
    return Prefetch("memberships", queryset=Membership.objects.select_related("user"))


def working_groups(meeting: Meeting):
    """Every active working group of the meeting's municipalities, whether or not it has a
    speaker or follows the platform: the district invites them all."""
    return (
        Organisation.objects.active()
        .filter(kind=Kind.WORKING_GROUP, municipality__in=meeting.municipalities.all())
        .prefetch_related(_with_members())
        .order_by("name")
    )


def coordination_offices(meeting: Meeting):
    """The active coordination offices serving one of the meeting's municipalities."""
    serving = Office.objects.filter(municipalities__in=meeting.municipalities.all())
    return (
        Office.objects.active()
        .filter(pk__in=serving.values("pk"))
        .prefetch_related("contacts")
        .order_by("name")
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


def _office_contacts(office: Office) -> list[tuple[str, str, None]]:
    """An office's own address, else its contact persons' (an office works in German)."""
    if office.email:
        return [(office.email, "de", None)]
    return [(contact.email, "de", None) for contact in office.contacts.all() if contact.email]


def recipients(meeting: Meeting) -> list[dict]:
    """Who is invited, and why: the people following the platform who live in the meeting's
    municipalities (or told no place), the organisations following it there, every working
    group and every coordination office of those municipalities. One entry per address, the
    first reason found."""
    municipality_ids = set(meeting.municipalities.values_list("pk", flat=True))
    found: dict[str, dict] = {}

    def add(email, language, user, reason, organisation=None, office=None):
        if email and email.lower() not in found:
            found[email.lower()] = {
                "email": email,
                "language": language,
                "user": user,
                "organisation": organisation,
                "office": office,
                "reason": reason,
            }

    follows = Follow.objects.filter(platform=meeting.platform).select_related("user")
    for f in follows.filter(user__isnull=False, user__is_active=True).filter(
        Q(user__home_municipality__in=municipality_ids) | Q(user__home_municipality__isnull=True)
    ):
        add(f.user.email, f.user.preferred_language, f.user, InvitationReason.FOLLOWER)
    organisations = Organisation.objects.active().filter(
        Q(municipality__in=municipality_ids)
        | Q(municipality__isnull=True, district=meeting.platform.district_id)
    )
    for organisation in organisations.filter(
        platform_follows__platform=meeting.platform
    ).prefetch_related(_with_members()):
        for email, language, user in _organisation_contacts(organisation):
            add(email, language, user, InvitationReason.ORGANISATION, organisation=organisation)
    for group in working_groups(meeting):
        for email, language, user in _organisation_contacts(group):
            add(email, language, user, InvitationReason.GROUP, organisation=group)
    for office in coordination_offices(meeting):
        for email, language, user in _office_contacts(office):
            add(email, language, user, InvitationReason.OFFICE, office=office)
    return list(found.values())


def new_recipients(meeting: Meeting) -> list[dict]:
    """The recipients not invited yet: what sending (again) would invite."""
    existing = {email.lower() for email in meeting.invitations.values_list("email", flat=True)}
    return [r for r in recipients(meeting) if r["email"].lower() not in existing]


def create_invitations(meeting: Meeting) -> list[Invitation]:
    return Invitation.objects.bulk_create(
        Invitation(meeting=meeting, **r) for r in new_recipients(meeting)
    )


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
