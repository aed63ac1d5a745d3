"""Figures about starting volunteers for the steering group, naming nobody."""

from datetime import datetime

from django.utils import timezone

from hilfenetz.engagement.models import (
    VOLUNTEER_INTENTS,
    ConductCertificate,
    Onboarding,
    StandardsAcknowledgement,
)
from hilfenetz.engagement.services.standards import acknowledged_current_q, current_standards_in
from hilfenetz.regions.models import Municipality


def onboarding_counts(municipalities, start: datetime, end: datetime) -> dict[str, int]:
    """Figures for the steering group, naming nobody, about the volunteers (who said in the
    welcome that they help or act for an organisation) of ``municipalities`` (a queryset or an
    iterable of municipalities) and the period [start, end):

    - ``new_volunteers``: how many registered in the period;
    - ``acknowledged_standards``: how many of those acknowledged the current version of their
      district's standards;
    - ``certificates_due``: how many volunteers' newest certificate of conduct recorded in
      those municipalities is due again before ``end`` (due in the period or overdue)."""
    municipalities = list(Municipality.objects.filter(pk__in=[m.pk for m in municipalities]))
    new = Onboarding.objects.filter(
        intent__in=VOLUNTEER_INTENTS,
        user__home_municipality__in=municipalities,
        user__date_joined__gte=start,
        user__date_joined__lt=end,
        user__is_active=True,
    )
    versions = current_standards_in({m.district_id for m in municipalities})
    acknowledged = StandardsAcknowledgement.objects.filter(acknowledged_current_q(versions))
    due = ConductCertificate.objects.latest_per_person().filter(
        municipality__in=municipalities, due_on__lt=timezone.localdate(end), user__is_active=True
    )
    return {
        "new_volunteers": new.count(),
        "acknowledged_standards": new.filter(user_id__in=acknowledged.values("user_id")).count(),
        "certificates_due": due.count(),
    }
