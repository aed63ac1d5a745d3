"""Account and organisation workflows. Views, the admin and the API call these."""

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    User,
)
from hilfenetz.core import privacy
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.core.sessions import SessionStore
from hilfenetz.core.slugs import unique_slug
from hilfenetz.regions.models import CoordinatorRole


def _forget_cached_memberships(user):
    if hasattr(user, "_hilfenetz_memberships"):
        del user._hilfenetz_memberships


# --- profile and personal data -------------------------------------------------------------


def update_profile(
    user: User, *, display_name: str, preferred_language: str, home_municipality
) -> User:
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.home_municipality = home_municipality
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "preferred_language", "home_municipality"])
    return user


def export_personal_data(user: User) -> dict:
    return {
        "exported_at": timezone.now().isoformat(),
        **privacy.export_sections(user),
    }


def _export_account(user):
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "home_municipality": str(user.home_municipality) if user.home_municipality else None,
        "registered": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "status": m.status,
                "since": m.created_at.isoformat(),
            }
            for m in user.memberships.select_related("organisation")
        ],
        "coordinator_roles": [
            str(r.district or r.municipality)
            for r in user.coordinator_roles.select_related("district", "municipality")
        ],
    }


privacy.register("account", export=_export_account)


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase a person: every app deletes or anonymises what belongs to them, then the account
    itself is anonymised (kept as an empty shell so published content has no dangling owner)."""
    privacy.erase_everywhere(user)
    _hand_over_or_leave_organisations(user)
    user.coordinator_roles.all().delete()
    user.emailaddress_set.all().delete()
    if hasattr(user, "authenticator_set"):
        user.authenticator_set.all().delete()
    user.email = f"deleted-{user.pk}-{get_random_string(8).lower()}@invalid.invalid"
    user.display_name = _("Deleted account")
    user.home_municipality = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            SessionStore().delete(session.session_key)  # from the shared cache too


def _hand_over_or_leave_organisations(user):
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        organisation = membership.organisation
        if (
            membership.is_admin
            and not organisation.memberships.admins().exclude(user=user).exists()
        ):
            successor = (
                organisation.memberships.active().exclude(user=user).order_by("created_at").first()
            )
            if successor is not None:
                successor.role = MembershipRole.ADMIN
                successor.save(update_fields=["role"])
        membership.delete()


# --- organisations and memberships -----------------------------------------------------------


@transaction.atomic
def create_organisation(creator: User, **fields) -> Organisation:
    """A registered person creates an organisation and becomes its admin."""
    require("organisation.create", creator)
    organisation = Organisation(
        slug=unique_slug(
            Organisation.objects, fields["name"], fallback="organisation", max_length=160
        ),
        **fields,
    )
    if organisation.municipality_id and not fields.get("district"):
        organisation.district = organisation.municipality.district
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        organisation=organisation,
        user=creator,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
        created_by=creator,
    )
    _forget_cached_memberships(creator)
    return organisation


@transaction.atomic
def update_organisation(actor: User, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's data; its district follows its municipality."""
    require("organisation.manage", actor, organisation)
    for name, value in fields.items():
        setattr(organisation, name, value)
    if organisation.municipality_id:
        organisation.district_id = organisation.municipality.district_id
    organisation.full_clean()
    organisation.save()
    return organisation


def _notify_admins(organisation, key, template, context):
    for membership in organisation.memberships.admins().select_related("user"):
        queue_mail(f"{key}:{membership.user_id}", membership.user, template, context)


@transaction.atomic
def request_membership(user: User, organisation: Organisation) -> Membership:
    existing = Membership.objects.filter(organisation=organisation, user=user).first()
    if existing is not None:
        if existing.status == MembershipStatus.INVITED:
            return accept_invitation(user, existing)
        raise ValidationError(_("You are already a member or have asked to join."))
    membership = Membership.objects.create(
        organisation=organisation, user=user, status=MembershipStatus.REQUESTED, created_by=user
    )
    _notify_admins(
        organisation,
        f"membership-request:{membership.pk}",
        "accounts/mail/membership_requested",
        {"organisation": organisation, "person": user.display_name},
    )
    _forget_cached_memberships(user)
    return membership


def _require_manager(actor, organisation):
    require("organisation.manage", actor, organisation)


@transaction.atomic
def decide_request(actor: User, membership: Membership, *, accept: bool) -> Membership | None:
    _require_manager(actor, membership.organisation)
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    template = (
        "accounts/mail/membership_accepted" if accept else "accounts/mail/membership_declined"
    )
    queue_mail(
        f"membership-decision:{membership.pk}",
        membership.user,
        template,
        {"organisation": membership.organisation},
    )
    if accept:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
        return membership
    membership.delete()
    return None


@transaction.atomic
def invite(actor: User, organisation: Organisation, email: str) -> Membership:
    """Invite a person by e-mail address; without an account yet, the invitation waits for
    the address to be confirmed at registration."""
    _require_manager(actor, organisation)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        existing = Membership.objects.filter(organisation=organisation, user=user).first()
        if existing is not None and existing.status == MembershipStatus.ACTIVE:
            raise ValidationError(_("This person is already a member."))
        if existing is not None and existing.status == MembershipStatus.REQUESTED:
            existing.status = MembershipStatus.ACTIVE
            existing.save(update_fields=["status"])
            return existing
        if existing is not None:
            return existing
        membership = Membership.objects.create(
            organisation=organisation, user=user, status=MembershipStatus.INVITED, created_by=actor
        )
        queue_mail(
            f"membership-invite:{membership.pk}",
            user,
            "accounts/mail/invited",
            {"organisation": organisation, "inviter": actor.display_name, "has_account": True},
        )
        return membership
    membership, created = Membership.objects.get_or_create(
        organisation=organisation,
        user=None,
        invited_email=email,
        defaults={"status": MembershipStatus.INVITED, "created_by": actor},
    )
    if created:
        queue_mail(
            f"membership-invite:{membership.pk}",
            email,
            "accounts/mail/invited",
            {"organisation": organisation, "inviter": actor.display_name, "has_account": False},
            language=actor.preferred_language,
        )
    return membership


def attach_pending_invitations(user: User, email: str) -> int:
    """Called when someone confirms an address: invitations sent to it become theirs."""
    attached = 0
    for membership in Membership.objects.filter(user=None, invited_email__iexact=email):
        if Membership.objects.filter(organisation=membership.organisation, user=user).exists():
            membership.delete()
            continue
        membership.user = user
        membership.invited_email = ""
        membership.save(update_fields=["user", "invited_email"])
        attached += 1
    _forget_cached_memberships(user)
    return attached


def _require_own_invitation(user: User, membership: Membership) -> None:
    if membership.user_id != user.pk or membership.status != MembershipStatus.INVITED:
        raise PermissionDenied


@transaction.atomic
def accept_invitation(user: User, membership: Membership) -> Membership:
    _require_own_invitation(user, membership)
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status"])
    _forget_cached_memberships(user)
    return membership


@transaction.atomic
def decline_invitation(user: User, membership: Membership) -> None:
    _require_own_invitation(user, membership)
    membership.delete()
    _forget_cached_memberships(user)


def _is_last_admin(membership: Membership) -> bool:
    return (
        membership.is_admin
        and not membership.organisation.memberships.admins().exclude(pk=membership.pk).exists()
    )


@transaction.atomic
def leave(user: User, organisation: Organisation) -> None:
    membership = (
        Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
    )
    if membership is None:
        raise ValidationError(_("You are not a member of this organisation."))
    if _is_last_admin(membership) and organisation.memberships.active().count() > 1:
        raise ValidationError(_("Make another member an admin before you leave."))
    membership.delete()
    _forget_cached_memberships(user)


@transaction.atomic
def set_role(actor: User, membership: Membership, role: str) -> Membership:
    _require_manager(actor, membership.organisation)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only members can be given a role."))
    if role not in MembershipRole.values:
        raise ValidationError(_("Unknown role."))
    if role != MembershipRole.ADMIN and _is_last_admin(membership):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(actor: User, membership: Membership) -> None:
    _require_manager(actor, membership.organisation)
    if _is_last_admin(membership):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership.delete()


# --- coordinators ----------------------------------------------------------------------------


def appoint_coordinator(*, user: User, municipality=None, district=None) -> CoordinatorRole:
    role, _ = CoordinatorRole.objects.get_or_create(
        user=user, municipality=municipality, district=district
    )
    return role
