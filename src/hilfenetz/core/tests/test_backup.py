"""``manage.py backup`` and ``restore``: the demo goes through one archive into a fresh
installation and comes out the same, row for row and byte for byte, on SQLite and PostgreSQL."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from hilfenetz.accounts.models import User
from hilfenetz.core import backup
from hilfenetz.core.periodic import registered_jobs
from hilfenetz.media.tests import test_s3
from hilfenetz.media.tests.test_s3 import bucket, s3_endpoint  # noqa: F401 - fixtures

PROJECT = Path(__file__).resolve().parents[4]
POSTGRES = "postgres://postgres@127.0.0.1:5432/"

# Every row of every model and the SQLite search index, printed as JSON (run in each installation).
SNAPSHOT = """
import json
from django.apps import apps
from django.db import connection
from hilfenetz.core import search
tables = {}
for model in apps.get_models(include_auto_created=True):
    if model._meta.proxy or not model._meta.managed:
        continue
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.order_by("pk").values_list(*fields)
    tables[model._meta.db_table] = [[repr(value) for value in row] for row in rows]
    if connection.vendor == "sqlite" and getattr(model, "search_fields", None):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, body FROM {search.fts_table(model)} ORDER BY rowid")
            tables[search.fts_table(model)] = [list(row) for row in cursor.fetchall()]
print(json.dumps(tables))
"""


def manage(env, *args, timeout=900):
    result = subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def installation(folder: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "HILFENETZ_VAR_DIR": str(folder), "DATABASE_URL": database_url}
    env.pop("STORAGE_BUCKET", None)
    manage(env, "migrate", "-v", "0")
    return env


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def round_trip(tmp_path: Path, source_url: str, target_url: str) -> dict:
    source = installation(tmp_path / "source", source_url)
    manage(source, "demo")
    archive = tmp_path / "demo.tar.gz"
    started = time.monotonic()
    written = manage(source, "backup", "--output", str(archive))
    backup_seconds = time.monotonic() - started
    assert "files:" in written and "rows" in written  # progress

    target = installation(tmp_path / "target", target_url)
    started = time.monotonic()
    restored = manage(target, "restore", str(archive))
    restore_seconds = time.monotonic() - started
    assert "Checksums of" in restored

    before = json.loads(manage(source, "shell", "--no-imports", "-c", SNAPSHOT))
    after = json.loads(manage(target, "shell", "--no-imports", "-c", SNAPSHOT))
    assert before.keys() == after.keys()
    differing = [table for table in before if before[table] != after[table]]
    assert not differing, differing
    assert sum(map(len, before.values())) > 2000  # the demo really was in it
    source_files = files(tmp_path / "source" / "media")
    assert source_files, "the demo has uploads"
    assert files(tmp_path / "target" / "media") == source_files

    # The restored installation refuses a second restore.
    again = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=PROJECT,
        env=target,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode != 0 and "not empty" in again.stderr
    return {
        "backup_s": round(backup_seconds, 1),
        "restore_s": round(restore_seconds, 1),
        "archive_mb": round(archive.stat().st_size / 1e6, 2),
    }


def test_the_demo_round_trips_through_one_archive_on_sqlite(tmp_path):
    figures = round_trip(
        tmp_path,
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'target.sqlite3'}",
    )
    print("SQLite", figures)


@pytest.fixture
def postgres_databases():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 (user postgres, trust) is unreachable: {error}")
    names = [f"hilfenetz_backup_{uuid.uuid4().hex[:10]}_{side}" for side in ("source", "target")]
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield [POSTGRES + name for name in names]
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_the_demo_round_trips_through_one_archive_on_postgresql(tmp_path, postgres_databases):
    figures = round_trip(tmp_path, *postgres_databases)
    print("PostgreSQL", figures)


# --- the archive's guards, in process --------------------------------------------------------


@pytest.fixture
def archive(tmp_path, db, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    User.objects.create_user("eine@kreis.example", "ein-langes-Passwort", display_name="Eine")
    default_storage.save("media/2026/12/flyer.pdf", ContentFile(b"%PDF-1.7 flyer"))
    path = tmp_path / "backup.tar.gz"
    backup.write_backup(path)
    return path


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the archive with ``change(name, data)`` applied to each member's bytes."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for info in old:
            data = change(info.name, old.extractfile(info).read())
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def test_the_manifest_names_version_migrations_counts_and_every_members_checksum(archive):
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        flyer = tar.extractfile("files/media/2026/12/flyer.pdf").read()
    assert names[-1] == "manifest.json"
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert manifest["members"]["files/media/2026/12/flyer.pdf"] == {
        "sha256": hashlib.sha256(flyer).hexdigest(),
        "size": len(flyer),
    }
    assert manifest["counts"]["accounts.User"] == 1
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["version"] == "0.1.0" and manifest["files"]["count"] == 1
    assert datetime.fromisoformat(manifest["created"]) > datetime.now(UTC) - timedelta(minutes=5)


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_anything_changes(archive, tmp_path):
    User.objects.all().delete()
    damaged = rewrite(
        archive,
        tmp_path / "damaged.tar.gz",
        lambda name, data: data.replace(b"eine@kreis", b"ein3@kreis"),
    )
    with pytest.raises(CommandError, match="damaged: 1 member"):
        call_command("restore", str(damaged))
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_archive_of_a_newer_version_is_refused(archive, tmp_path):
    User.objects.all().delete()

    def future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["core"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    newer = rewrite(archive, tmp_path / "newer.tar.gz", future)
    with pytest.raises(CommandError, match=r"newer version .*core\.9999_from_the_future"):
        call_command("restore", str(newer))
    assert not User.objects.exists()


@pytest.mark.django_db
def test_restore_refuses_an_installation_with_data(archive):
    with pytest.raises(CommandError, match=r"not empty \(rows in .*accounts\.User"):
        call_command("restore", str(archive))
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_restore_refuses_what_is_no_backup(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


@pytest.mark.django_db
def test_the_daily_backup_keeps_the_newest_archives(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 3
    settings.BACKUP_DIR.mkdir()
    old = [settings.BACKUP_DIR / f"hilfenetz-2026010{day}-030000.tar.gz" for day in range(1, 6)]
    for path in old:
        path.write_bytes(b"old")
    unrelated = settings.BACKUP_DIR / "notes.txt"
    unrelated.write_text("kept")
    assert "hilfenetz.core.backup.daily_backup" in registered_jobs()
    written = Path(backup.daily_backup.call())
    assert written.exists() and backup.verify(written)
    left = sorted(p.name for p in settings.BACKUP_DIR.iterdir())
    assert left == [old[3].name, old[4].name, written.name, "notes.txt"]


@pytest.fixture
def s3_bucket(request):
    """media's moto bucket, with the storage pointing at it."""
    return request.getfixturevalue("bucket")


@pytest.mark.django_db
def test_uploads_in_an_s3_bucket_are_backed_up_and_restored_through_the_storage(
    s3_bucket, tmp_path
):
    user = User.objects.create_user("s3@kreis.example", "ein-langes-Passwort", display_name="S3")
    stored = {
        "media/2026/12/plakat.pdf": b"%PDF-1.7 plakat",
        "media/thumbnails/2026/12/plakat.jpg": bytes(range(256)) * 40,
    }
    for name, data in stored.items():
        assert default_storage.save(name, ContentFile(data)) == name
    archive = tmp_path / "s3.tar.gz"
    assert backup.write_backup(archive)["files"] == {
        "count": 2,
        "bytes": sum(map(len, stored.values())),
    }
    # An empty installation with an empty bucket.
    user.delete()
    for key in stored:
        s3_bucket.delete_object(Bucket=test_s3.BUCKET, Key=key)
    call_command("restore", str(archive))
    assert User.objects.get().email == "s3@kreis.example"
    for key, data in stored.items():
        assert s3_bucket.get_object(Bucket=test_s3.BUCKET, Key=key)["Body"].read() == data
