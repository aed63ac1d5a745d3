"""The extended certificate of conduct (§ 72a SGB VIII with § 30a BZRG) of volunteers who work
with children and young people: a coordinator records that they saw it (the date and who, never
a copy); five years later it is due again, and a daily job reminds the volunteer and the
coordinator beforehand."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import audit
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, permitted, require
from hilfenetz.engagement.models import ConductCertificate
from hilfenetz.regions.models import CoordinatorRole

VALID_YEARS = 5
#: How long before the due date the volunteer and the coordinator are reminded.
REMIND_BEFORE = timedelta(weeks=8)


def due_after(seen_on: date) -> date:
    """Five years after ``seen_on`` (a 29 February is due on the 28th)."""
    try:
        return seen_on.replace(year=seen_on.year + VALID_YEARS)
    except ValueError:
        return seen_on.replace(year=seen_on.year + VALID_YEARS, day=28)


def due_soon_date(today: date | None = None) -> date:
    """A certificate due on or before this date is due soon (or overdue)."""
    return (today or timezone.localdate()) + REMIND_BEFORE


@transaction.atomic
def record_certificate(actor, volunteer, seen_on: date) -> ConductCertificate:
    require("engagement.record_certificate", actor, volunteer)
    today = timezone.localdate()
    if seen_on > today:
        raise ValidationError({"seen_on": _("The date cannot be in the future.")})
    if due_after(seen_on) <= today:
        raise ValidationError(
            {"seen_on": _("A certificate seen five or more years ago is due again already.")}
        )
    certificate = ConductCertificate.objects.create(
        user=volunteer,
        municipality_id=volunteer.home_municipality_id,
        seen_on=seen_on,
        seen_by=actor,
        due_on=due_after(seen_on),
    )
    audit.record(certificate, "certificate_seen", actor=actor)
    return certificate


def certificates_of(viewer, person):
    """The records about ``person`` that ``viewer`` may see, newest first."""
    return permitted(
        "engagement.view_certificate", viewer, ConductCertificate.objects.filter(user=person)
    ).select_related("seen_by")


def _coordinators(certificate) -> list:
    """Who is reminded besides the volunteer: the coordinator who saw it while they still
    coordinate it, else the coordinators of its municipality."""
    seen_by = certificate.seen_by
    if (
        seen_by is not None
        and seen_by.is_active
        and allowed("engagement.view_certificate", seen_by, certificate)
    ):
        return [seen_by]
    roles = CoordinatorRole.objects.filter(
        municipality=certificate.municipality_id, user__is_active=True
    ).select_related("user")
    return [role.user for role in roles]


def send_certificate_reminders(today: date | None = None) -> int:
    """Remind each volunteer whose newest certificate is due soon, and their coordinator,
    once per certificate (a second run sends nothing). Returns the mails queued."""
    today = today or timezone.localdate()
    due = (
        ConductCertificate.objects.latest_per_person()
        .filter(reminded_at__isnull=True, due_on__lte=due_soon_date(today), user__is_active=True)
        .select_related("user", "seen_by", "municipality")
    )
    queued = 0
    for certificate in due:
        with transaction.atomic():
            claimed = ConductCertificate.objects.filter(
                pk=certificate.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            volunteer = certificate.user
            queue_mail(
                f"engagement-certificate:{certificate.pk}:{volunteer.pk}",
                volunteer,
                "engagement/mail/certificate_due",
                {"certificate": certificate},
            )
            queued += 1
            for coordinator in _coordinators(certificate):
                queue_mail(
                    f"engagement-certificate:{certificate.pk}:{coordinator.pk}",
                    coordinator,
                    "engagement/mail/certificate_due_coordinator",
                    {"certificate": certificate, "volunteer": volunteer},
                )
                queued += 1
    return queued
