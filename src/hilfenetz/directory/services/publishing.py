"""What the published list's exports ask: has anything changed, and since when."""

import hashlib

from django.db import models
from django.utils import timezone

from hilfenetz.core.models import AuditEntry
from hilfenetz.directory.models import ContactPerson, Office


def export_signature() -> str:
    """Changes whenever anything in the published list may have changed (edits and contact
    changes all leave a history entry), so generated exports can be cached until then."""
    offices = Office.objects.aggregate(n=models.Count("pk"), latest=models.Max("updated_at"))
    contacts = ContactPerson.objects.aggregate(n=models.Count("pk"), top=models.Max("pk"))
    last_change = AuditEntry.objects.aggregate(top=models.Max("pk"))["top"]
    raw = f"{offices['n']}:{offices['latest']}:{contacts['n']}:{contacts['top']}:{last_change}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def data_date():
    """When the published list last changed or was last confirmed."""
    latest = Office.objects.active().order_by("-updated_at").values_list("updated_at", flat=True)
    value = latest.first()
    return timezone.localdate(value) if value else timezone.localdate()
