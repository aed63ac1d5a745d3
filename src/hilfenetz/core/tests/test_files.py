"""Stored files are handed out only through views that check access (core/files.py)."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import clear_url_caches

from hilfenetz import urls
from hilfenetz.core import files
from hilfenetz.core.files import Access

DATA = b"%PDF-1.4 stored minutes of a meeting\n" * 10


@pytest.fixture
def stored():
    name = default_storage.save("network/minutes/2026/protokoll.pdf", ContentFile(DATA))
    return FieldFile(None, FileField(), name)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_no_address_serves_the_upload_folder_even_in_development(client, settings, stored):
    settings.DEBUG = True  # the development server used to serve MEDIA_ROOT under /media/
    try:
        importlib.reload(urls)
        clear_url_caches()
        assert client.get(f"/media/{stored.name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(urls)
        clear_url_caches()


def test_a_public_file_is_streamed_and_may_be_cached(settings, stored):
    request = RequestFactory().get("/")
    response = files.serve(request, stored, Access.PUBLIC, content_type="application/pdf")
    assert response.status_code == 200
    assert _body(response) == DATA
    assert response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.FILES_PUBLIC_MAX_AGE}" in response["Cache-Control"]
    assert response["Content-Disposition"] == "inline"


def test_a_private_file_is_kept_by_no_cache(stored):
    response = files.serve(
        RequestFactory().get("/"), stored, Access.PRIVATE, filename="protokoll-1.pdf"
    )
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert response["Content-Disposition"] == "inline; filename*=UTF-8''protokoll-1.pdf"


def test_a_range_is_answered_with_206(stored):
    request = RequestFactory().get("/", headers={"Range": "bytes=5-14"})
    response = files.serve(request, stored, Access.PRIVATE)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 5-14/{len(DATA)}"
    assert _body(response) == DATA[5:15]


def test_denied_or_missing_files_do_not_exist(stored):
    request = RequestFactory().get("/")
    with pytest.raises(Http404):
        files.serve(request, stored, Access.DENIED)
    with pytest.raises(Http404):
        files.serve(request, FieldFile(None, FileField(), "network/gone.pdf"), Access.PUBLIC)
    with pytest.raises(Http404):
        files.serve(request, FieldFile(None, FileField(), ""), Access.PUBLIC)


def test_access_maps_the_check_to_what_may_be_cached():
    assert files.access(False, public=True) is Access.DENIED
    assert files.access(True, public=True) is Access.PUBLIC
    assert files.access(True, public=False) is Access.PRIVATE


def test_nginx_sends_the_file_through_its_internal_location(settings, stored):
    settings.FILES_ACCEL = "nginx"
    settings.FILES_ACCEL_LOCATION = "/_files/"
    response = files.serve(RequestFactory().get("/"), stored, Access.PRIVATE)
    assert response["X-Accel-Redirect"] == f"/_files/{stored.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "X-Sendfile" not in response


def test_sendfile_names_the_path_on_disk(settings, stored):
    settings.FILES_ACCEL = "sendfile"
    response = files.serve(RequestFactory().get("/"), stored, Access.PUBLIC)
    assert response["X-Sendfile"] == default_storage.path(stored.name)
    assert response.content == b""
    assert "public" in response["Cache-Control"]
    assert "X-Accel-Redirect" not in response


def test_the_web_server_is_not_asked_to_send_a_file_that_is_gone(settings):
    settings.FILES_ACCEL = "nginx"
    with pytest.raises(Http404):
        files.serve(
            RequestFactory().get("/"), FieldFile(None, FileField(), "x/gone.pdf"), Access.PUBLIC
        )
