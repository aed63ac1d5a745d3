"""The S3 path (``STORAGE_BUCKET``) against a real S3-compatible HTTP server on this machine:
moto's server mode, started in its own process on a free port."""

import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from hilfenetz.core.tests.s3 import CREDENTIALS, s3_server
from hilfenetz.media import services
from hilfenetz.media.models import Kind
from hilfenetz.media.services import Upload, publishing
from hilfenetz.media.tests.conftest import upload

BUCKET = "hilfenetz-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    import boto3

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
    }
    yield client
    for key in _keys(client):
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_files_live_in_the_bucket_and_the_store_answers_ranges(
    client, place, bucket, video_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.create_item(
            place.district_coordinator,
            district=place.district,
            kind=Kind.VIDEO,
            language="de",
            title="Video im Speicher",
            audiences=["refugees"],
            upload=Upload(language="de", file=upload("clip.mp4", video_bytes)),
        )
    media_file = item.files.get()
    media_file.refresh_from_db()
    keys = _keys(bucket)
    assert media_file.file.name in keys
    assert media_file.thumbnail.name in keys  # the poster frame, made from the stored video

    response = client.get(reverse("media:file", args=[media_file.pk]))
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(bucket.meta.endpoint_url) and "Signature" in signed
    expires = int(parse_qs(urlparse(signed).query)["Expires"][0])
    assert 0 < expires - time.time() <= 300  # short-lived, made after the access check
    assert "no-store" in response["Cache-Control"]  # no cache hands the address to others
    ranged = urllib.request.Request(signed, headers={"Range": "bytes=100-199"})  # noqa: S310
    with urllib.request.urlopen(ranged, timeout=10) as answer:  # noqa: S310
        assert answer.status == 206
        assert answer.read() == video_bytes[100:200]
        assert answer.headers["Content-Type"] == "video/mp4"
        assert answer.headers["Cache-Control"].startswith("public")

    services.withdraw(place.district_coordinator, item)  # a draft: no signed address for others
    assert client.get(reverse("media:file", args=[media_file.pk])).status_code == 404
    client.force_login(place.district_coordinator)
    response = client.get(reverse("media:file", args=[media_file.pk]))
    with urllib.request.urlopen(response["Location"], timeout=10) as answer:  # noqa: S310
        assert answer.headers["Cache-Control"] == "private, no-store"


def test_a_failed_upload_leaves_nothing_in_the_bucket(place, bucket, video_bytes, monkeypatch):
    def fail(item):
        raise RuntimeError("database gone after the file was stored")

    monkeypatch.setattr(publishing, "reindex", fail)  # the step after storing
    with pytest.raises(RuntimeError):
        services.create_item(
            place.district_coordinator,
            district=place.district,
            kind=Kind.VIDEO,
            language="de",
            title="Kaputt",
            audiences=["refugees"],
            upload=Upload(language="de", file=upload("clip.mp4", video_bytes)),
        )
    assert _keys(bucket) == []
