"""What the published list's exports ask: has anything changed, and since when."""

from django.utils import timezone

from hilfenetz.directory.models import Office


def data_date():
    """When the published list last changed or was last confirmed."""
    latest = Office.objects.active().order_by("-updated_at").values_list("updated_at", flat=True)
    value = latest.first()
    return timezone.localdate(value) if value else timezone.localdate()
