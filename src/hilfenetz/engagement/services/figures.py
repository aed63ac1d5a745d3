"""Figures about starting volunteers for the steering group, naming nobody."""

from datetime import datetime

from django.db.models import Q

from hilfenetz.engagement.models import (
    VOLUNTEER_INTENTS,
    Onboarding,
    StandardsAcknowledgement,
)
from hilfenetz.engagement.services.standards import current_standards
from hilfenetz.regions.models import District, Municipality


def onboarding_counts(municipalities, start: datetime, end: datetime) -> dict[str, int]:
    """Figures for the steering group, naming nobody. Of the volunteers (who said in the
    welcome that they help or act for an organisation) living in ``municipalities`` (a
    queryset or an iterable of municipalities) who registered in [start, end):

    - ``new_volunteers``: how many there are;
    - ``acknowledged_standards``: how many of them acknowledged the current version of their
      district's standards."""
    municipalities = list(Municipality.objects.filter(pk__in=[m.pk for m in municipalities]))
    new = Onboarding.objects.filter(
        intent__in=VOLUNTEER_INTENTS,
        user__home_municipality__in=municipalities,
        user__date_joined__gte=start,
        user__date_joined__lt=end,
        user__is_active=True,
    )
    current = Q(pk__in=[])
    for district in District.objects.filter(pk__in={m.district_id for m in municipalities}):
        standards = current_standards(district)
        if standards is not None:
            current |= Q(district=district, version=standards.version)
    acknowledged = StandardsAcknowledgement.objects.filter(current).values("user_id")
    return {
        "new_volunteers": new.count(),
        "acknowledged_standards": new.filter(user_id__in=acknowledged).count(),
    }
