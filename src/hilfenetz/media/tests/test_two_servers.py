"""Two servers of one installation: separate processes with their own settings and local
folders, one database and one S3-compatible store (moto's server). A file uploaded through the
first is downloaded, ranged and previewed through the second."""

import http.client
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from hilfenetz.core.tests.s3 import CREDENTIALS, free_port, s3_server
from hilfenetz.media import samples

PROJECT_DIR = Path(__file__).resolve().parents[4]
BUCKET = "hilfenetz-two-servers"

# Server A's upload: the media centre's form, as a district coordinator posts it after logging
# in with the second factor their role requires (src/conftest.py's force_login patch does not
# reach this process, so the login does it itself, with the same helper).
UPLOAD = """
import json, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from hilfenetz.accounts.tests.factories import coordinator_of, pass_second_factor
from hilfenetz.media.models import MediaItem
from hilfenetz.regions.tests.factories import DistrictFactory

setup_test_environment()
district = DistrictFactory(name="Landkreis Beispiel", slug="landkreis-beispiel")
client = Client()
coordinator = coordinator_of(district=district)
client.force_login(coordinator)
pass_second_factor(client, coordinator)
with open(sys.argv[1], "rb") as source:
    pdf = source.read()
response = client.post(reverse("media:create"), {
    "publisher": f"district:{district.pk}",
    "kind": "brochure",
    "audiences": ["refugees"],
    "language": "de",
    "title": "Erste Schritte",
    "file": SimpleUploadedFile("erste.pdf", pdf, content_type="application/pdf"),
    "publish": "on",
})
assert response.status_code == 302, response.content.decode()[:2000]
media_file = MediaItem.objects.get().files.get()
print(json.dumps({"pk": media_file.pk, "name": media_file.file.name,
                  "thumbnail": bool(media_file.thumbnail)}))
"""


def _run(env, *args, timeout=180):
    result = subprocess.run(  # noqa: S603 - the project's own commands
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse()


def _fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the local S3 server
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return answer.status, answer.read()


@pytest.fixture
def servers(tmp_path):
    """The environments of server A and server B: the same database (a SQLite file both
    open) and bucket, each with a local upload folder of its own that must stay unused."""
    import boto3

    with s3_server() as endpoint:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket=BUCKET)
        common = {
            **os.environ,
            **CREDENTIALS,
            "HILFENETZ_VAR_DIR": str(tmp_path),
            "STORAGE_BUCKET": BUCKET,
            "STORAGE_ENDPOINT_URL": endpoint,
            "PYTHONPATH": str(PROJECT_DIR / "src"),
            "DJANGO_SETTINGS_MODULE": "hilfenetz.settings",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PAGE_CACHE_SECONDS": "0",
        }
        common.pop("DATABASE_URL", None)
        envs = {name: {**common, "MEDIA_ROOT": str(tmp_path / f"uploads-{name}")} for name in "ab"}
        _run(envs["a"], "manage.py", "migrate", "-v", "0")
        yield envs["a"], envs["b"], tmp_path, endpoint


@pytest.fixture
def web_server_b(servers):
    _a, env_b, _tmp, _endpoint = servers
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT_DIR,
        env=env_b,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(600):
            try:
                if _get(port, "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server B did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_file_uploaded_through_one_server_is_served_and_previewed_by_the_other(
    servers, web_server_b, tmp_path
):
    env_a, env_b, tmp, _endpoint = servers
    # Both servers pass the start check: the installation's mark is in the shared bucket.
    _run(env_a, "manage.py", "check_uploads")
    _run(env_b, "manage.py", "check_uploads")

    pdf = samples.brochure_pdf("Willkommen im Landkreis", ["Ein Absatz."] * 4)
    source = tmp_path / "erste.pdf"
    source.write_bytes(pdf)
    uploaded = json.loads(_run(env_a, "-c", UPLOAD, str(source)).strip().splitlines()[-1])
    assert not uploaded["thumbnail"]  # A's worker has not run: the preview task waits

    # B's worker makes the preview of the file A stored.
    _run(env_b, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload")

    answer = _get(web_server_b, f"/medien/datei/{uploaded['pk']}/")
    assert answer.status == 302
    signed = answer.getheader("Location")
    assert urlparse(signed).path == f"/{BUCKET}/{uploaded['name']}"
    assert _fetch(signed) == (200, pdf)
    assert _fetch(signed, Range="bytes=10-59") == (206, pdf[10:60])

    preview = _get(web_server_b, f"/medien/vorschau/{uploaded['pk']}.jpg")
    assert preview.status == 302  # only once B's worker made it
    status, jpeg = _fetch(preview.getheader("Location"))
    assert status == 200 and jpeg.startswith(b"\xff\xd8")

    # Neither server wrote an upload to its own disk.
    for name in "ab":
        folder = tmp / f"uploads-{name}"
        assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
