"""The coordinators' overview of the volunteers of their municipalities: who is new, who
acknowledged the current standards, whose certificate of conduct is due; and a message to one
of them by mail, without their address."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import User
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import permitted, require
from hilfenetz.core.texts import required
from hilfenetz.engagement.models import (
    VOLUNTEER_INTENTS,
    ConductCertificate,
    StandardsAcknowledgement,
)
from hilfenetz.engagement.services.standards import acknowledged_current_q, current_standards_in

#: A volunteer counts as new this many days after registering.
NEW_FOR = timedelta(days=30)


def volunteers_overview(coordinator):
    """The active volunteers whose home municipality ``coordinator`` coordinates (who said in
    the welcome that they help or act for an organisation, and the newcomers who have not
    answered yet), newest first, each with ``acknowledged`` (the current version of their district's standards) and
    ``certificate_due_on`` (of their newest certificate of conduct, or None)."""
    require("engagement.overview", coordinator)
    people = permitted(
        "engagement.record_certificate",
        coordinator,
        User.objects.filter(
            Q(onboarding__intent__in=VOLUNTEER_INTENTS)
            | Q(onboarding__isnull=True, date_joined__gte=new_since()),
            is_active=True,
        ),
    )
    versions = current_standards_in(people.values("home_municipality__district"))
    acknowledged = StandardsAcknowledgement.objects.filter(
        acknowledged_current_q(versions),
        user=OuterRef("pk"),
        district=OuterRef("home_municipality__district"),
    )
    newest_certificate = ConductCertificate.objects.filter(user=OuterRef("pk")).order_by(
        "-seen_on", "-pk"
    )
    return (
        people.select_related("home_municipality")
        .annotate(
            acknowledged=Exists(acknowledged),
            certificate_due_on=Subquery(newest_certificate.values("due_on")[:1]),
        )
        .order_by("-date_joined", "pk")
    )


def new_since():
    return timezone.now() - NEW_FOR


def write_to_volunteer(coordinator, person, message: str):
    """Send ``message`` to ``person`` by mail in their language; their address stays hidden
    from the coordinator, who signs with their name and address so that they can answer."""
    require("engagement.write_to", coordinator, person)
    message = required(message, _("Please write a message."))
    return queue_mail(
        f"engagement-message:{coordinator.pk}:{person.pk}:{timezone.now().timestamp()}",
        person,
        "engagement/mail/message",
        {"sender": coordinator, "message": message},
    )
