"""A file with a very long name reaches its form, which keeps the other values and says what
is wrong; no bare 400 page. The test client shortens file names to 255 characters, so the
requests here are written by hand, as a browser sends them."""

import pytest
from django.urls import reverse

from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.core.models import OutboundMail
from hilfenetz.media import samples
from hilfenetz.media.models import MediaItem
from hilfenetz.network.models import MeetingStatus, Minutes
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db
BOUNDARY = "----hilfenetzBoundary"


def multipart(fields: dict, file_field: str, file_name: str, data: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, values in fields.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(client, url, fields, file_field, file_name, data):
    return client.generic(
        "POST",
        url,
        multipart(fields, file_field, file_name, data),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


PDF = samples.brochure_pdf("Protokoll", ["Ein Absatz."])


@pytest.mark.parametrize("name", ["a" * 2000 + ".pdf", "ب" * 2000 + ".pdf"])
def test_minutes_form_says_the_file_name_is_too_long_and_keeps_the_text(client, name):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    client.force_login(meeting.organisers.get())
    url = reverse("network:minutes_edit", args=[meeting.pk])
    fields = {"language": "de", "body": "Alle waren da.", "decisions": "Nächstes Treffen im Mai"}
    response = post(client, url, fields, "pdf", name, PDF)
    assert response.status_code == 200
    form = response.context["form"]
    assert "pdf" in form.errors
    assert "Alle waren da." in response.text and "Nächstes Treffen im Mai" in response.text
    assert not Minutes.objects.exists()


def test_media_upload_with_a_long_file_name_is_stored_under_a_short_name(client):
    municipality = MunicipalityFactory()
    client.force_login(coordinator_of(district=municipality.district))
    fields = {
        "publisher": f"district:{municipality.district.pk}",
        "kind": "brochure",
        "audiences": ["refugees"],
        "language": "de",
        "title": "Erste Schritte",
    }
    response = post(client, reverse("media:create"), fields, "file", "a" * 2000 + ".pdf", PDF)
    assert response.status_code == 302
    stored = MediaItem.objects.get().files.get().file.name
    assert stored.endswith(".pdf") and len(stored) < 100


def test_a_form_that_cannot_be_read_gets_a_page_that_says_why(client):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    client.force_login(meeting.organisers.get())
    url = reverse("network:minutes_edit", args=[meeting.pk])
    response = post(client, url, {"body": "Text"}, "pdf", "a" * 20000 + ".pdf", PDF)
    assert response.status_code == 400
    assert "kürzeren Namen" in response.text and "<main" in response.text  # German by default
    assert not Minutes.objects.exists() and not OutboundMail.objects.exists()
