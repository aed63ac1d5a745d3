"""Keeping the directory current: confirming entries, finding overdue ones, reminding."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hilfenetz.accounts.models import Organisation
from hilfenetz.core import audit, lifecycle
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.directory.models import (
    CompetenceTeam,
    Office,
    OrganisationProfile,
    verification_intervals,
)
from hilfenetz.regions.models import CoordinatorRole


@transaction.atomic
def verify(user, obj):
    """Confirm that an office, organisation profile or competence team is current."""
    obj = lifecycle.locked(obj)
    rule_name = {
        Office: "directory.office.edit",
        OrganisationProfile: "directory.organisation.edit",
        CompetenceTeam: "directory.team.edit",
    }[type(obj)]
    require(rule_name, user, obj)
    obj.verified_at, obj.verified_by = timezone.now(), user
    obj.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit.record(obj, "verify", actor=user)
    return obj


def overdue_entries(user, now=None) -> dict:
    """Entries in the user's scope that were not confirmed within their district's interval."""
    now, intervals = now or timezone.now(), verification_intervals()
    offices = (
        Office.objects.active()
        .coordinated_by(user)
        .overdue(now, intervals)
        .select_related("district", "verified_by")
        .prefetch_related("municipalities")
        .order_by("verified_at", "name")
    )
    # One query for the organisations whose entry is overdue and the active ones without an
    # entry yet, each list in its order (an entry's date first: none for those without one).
    organisations = list(
        Organisation.objects.coordinated_by(user)
        .filter(
            Q(directory_profile__in=OrganisationProfile.objects.overdue(now, intervals))
            | Q(is_active=True, directory_profile=None)
        )
        .select_related("municipality", "directory_profile__verified_by")
        .order_by("directory_profile__verified_at", "name")
    )
    profiles = [o.directory_profile for o in organisations if _profile(o) is not None]
    never = [o for o in organisations if _profile(o) is None]
    teams = (
        CompetenceTeam.objects.coordinated_by(user)
        .overdue(now, intervals)
        .select_related("verified_by")
        .order_by("verified_at")
    )
    return {
        "offices": offices,
        "profiles": profiles,
        "unprofiled": never,
        "teams": teams,
    }


def _profile(organisation):
    return getattr(organisation, "directory_profile", None)


REMINDER_REPEAT_DAYS = 14


def remind_coordinators(today: date | None = None) -> int:
    """Mail every coordinator with overdue entries at most once per reminder window."""
    today = today or timezone.localdate()
    window = today.toordinal() // REMINDER_REPEAT_DAYS
    sent = 0
    coordinators = {
        role.user
        for role in CoordinatorRole.objects.select_related("user").filter(user__is_active=True)
    }
    for user in sorted(coordinators, key=lambda u: u.pk):
        entries = overdue_entries(user)
        context = {
            "user": user,
            "offices": list(entries["offices"]),
            "organisations": [p.organisation for p in entries["profiles"]]
            + list(entries["unprofiled"]),
            "teams": list(entries["teams"]),
        }
        if not (context["offices"] or context["organisations"] or context["teams"]):
            continue
        queue_mail(
            f"directory.reminder:{user.pk}:{window}", user, "directory/mail/reminder", context
        )
        sent += 1
    return sent
