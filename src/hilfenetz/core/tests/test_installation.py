"""A server whose upload storage is not the installation's shared one refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from hilfenetz.core.checks import uploads_are_shared
from hilfenetz.core.installation import MARK, UploadsNotShared, check_uploads
from hilfenetz.core.models import Installation

PROJECT_DIR = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.django_db


def test_the_first_server_marks_the_storage_and_is_then_recognised():
    key = check_uploads()
    assert Installation.objects.get().key == key
    with default_storage.open(MARK) as mark:
        assert mark.read().decode() == key
    assert check_uploads() == key
    call_command("check_uploads", verbosity=0)
    assert uploads_are_shared(None) == []


def test_a_server_with_its_own_empty_folder_refuses(settings, tmp_path):
    key = check_uploads()
    settings.MEDIA_ROOT = tmp_path / "second-server"  # this server's disk, not the shared one
    with pytest.raises(UploadsNotShared, match=f"has no {MARK} file.*{key}"):
        check_uploads()
    with pytest.raises(CommandError, match="S3-compatible store"):
        call_command("check_uploads", verbosity=0)
    [error] = uploads_are_shared(None)
    assert error.id == "hilfenetz.E001"
    assert not default_storage.exists(MARK)  # nothing was written on the wrong disk


def test_a_folder_of_another_installation_is_refused_and_nothing_is_recorded():
    default_storage.save(MARK, ContentFile(b"0123456789abcdef0123456789abcdef"))
    with pytest.raises(UploadsNotShared, match="belongs to the installation 0123456789abcdef"):
        check_uploads()
    assert not Installation.objects.exists()


def _manage(env, *args):
    return subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_servers_on_one_database_with_separate_upload_folders(tmp_path):
    """Two processes as two servers: one database, and each its own local upload folder."""
    env = {**os.environ, "HILFENETZ_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    assert _manage(env, "migrate", "-v", "0").returncode == 0
    first = _manage({**env, "MEDIA_ROOT": str(tmp_path / "shared")}, "check_uploads")
    assert first.returncode == 0, first.stderr
    again = _manage({**env, "MEDIA_ROOT": str(tmp_path / "shared")}, "check_uploads")
    assert again.returncode == 0, again.stderr
    second = _manage({**env, "MEDIA_ROOT": str(tmp_path / "own")}, "check_uploads")
    assert second.returncode == 1
    assert "Refusing to start" in second.stderr
    assert "mount one shared folder" in second.stderr
