"""One archive holds a whole installation: its database and its uploaded files.

``manage.py backup`` writes a ``.tar.gz`` with

- ``db/NNNN-app-model.json``: every row of every model, one member per model, in Django's JSON
  serialisation with natural keys for content types and people. Loaded after ``migrate`` into an
  empty installation of the same or a newer version (fields the newer version no longer has are
  ignored, new ones get their defaults), on SQLite or PostgreSQL alike;
- ``files/<name>``: every file of the upload storage, read through Django's storage API, so a
  local folder and an S3 bucket are backed up the same way;
- ``manifest.json`` (the last member): the version, the applied migrations, the rows per model
  (and which member holds them), the creation time and the SHA-256 checksum and size of every other member.

``manage.py restore`` checks every checksum before it changes anything, refuses a non-empty
installation and an archive written by a newer version, then loads the rows in one transaction
and writes the files back. Content types and permissions are not in the archive: ``migrate``
creates them, and rows point to them by natural key.
"""

import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from datetime import time as clock_time
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task

from hilfenetz.core import search

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Created by `migrate` in every installation; rows refer to them by natural key.
NOT_BACKED_UP = {ContentType, Permission}
ARCHIVE_NAME = re.compile(r"^hilfenetz-\d{8}-\d{6}\.tar\.gz$")

Progress = Callable[[str], None]


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


def _quiet(message: str) -> None:
    pass


class ExactEncoder(DjangoJSONEncoder):
    """Times with their microseconds: Django's encoder cuts them to milliseconds (as JavaScript
    has them), and a restored row would differ from the saved one."""

    def default(self, o):
        if isinstance(o, datetime | clock_time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list:
    """Every model with rows of its own, those others refer to by natural key first."""
    app_list = {config: None for config in apps.get_app_configs()}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        model
        for model in ordered
        if model not in NOT_BACKED_UP and model._meta.managed and not model._meta.proxy
    ]


def _version() -> str:
    try:
        return metadata.version("hilfenetz")
    except metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _walk(storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage before its first upload
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


class _Hashing(io.RawIOBase):
    """Reads a file object through, hashing what passes."""

    def __init__(self, fileobj):
        self.fileobj, self.sha256, self.size = fileobj, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.fileobj.read(len(buffer))
        self.sha256.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


def _add(tar: tarfile.TarFile, name: str, fileobj, size: int, members: dict) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    hashing = _Hashing(fileobj)
    tar.addfile(info, io.BufferedReader(hashing, CHUNK))
    if hashing.size != size:
        raise BackupError(f"{name} changed its size while it was read")
    members[name] = {"sha256": hashing.sha256.hexdigest(), "size": size}


@contextmanager
def _snapshot():
    """One consistent view of the database while every table is read."""
    # Only the outermost transaction may choose its isolation; inside another one (a caller's,
    # or a test's) that transaction's view is the snapshot.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write_rows(tar: tarfile.TarFile, members: dict, progress: Progress):
    """Every model's rows, one member each, read in one transaction; returns the rows per model,
    the member of each model and the applied migrations."""
    counts: dict[str, int] = {}
    tables: dict[str, str] = {}
    with _snapshot():
        models = backed_up_models()
        for number, model in enumerate(models, 1):
            label = model._meta.label
            name = f"db/{number:04d}-{model._meta.app_label}-{model._meta.model_name}.json"
            with tempfile.TemporaryFile() as dump:
                text = io.TextIOWrapper(dump, encoding="utf-8", write_through=True)
                rows = model._base_manager.order_by("pk")
                counts[label] = rows.count()
                serializers.serialize(
                    "json",
                    rows.iterator(chunk_size=2000),
                    stream=text,
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=False,
                    cls=ExactEncoder,
                )
                text.detach()
                size = dump.tell()
                dump.seek(0)
                _add(tar, name, dump, size, members)
            tables[name] = label
            if counts[label]:
                progress(f"[{number}/{len(models)}] {label}: {counts[label]} rows")
        return counts, tables, applied_migrations()


def _write_files(tar: tarfile.TarFile, members: dict, progress: Progress) -> dict:
    """Every file of the upload storage. After the rows' transaction, so that writers (who wait
    for it on SQLite) do not also wait for the uploads to be copied."""
    files = list(_walk(default_storage))
    total = 0
    for number, name in enumerate(files, 1):
        size = default_storage.size(name)
        with default_storage.open(name, "rb") as stored:
            _add(tar, f"files/{name}", stored, size, members)
        total += size
        if number % 100 == 0 or number == len(files):
            progress(f"files: {number}/{len(files)} ({total / 1e6:.1f} MB)")
    return {"count": len(files), "bytes": total}


def write_backup(target: Path, progress: Progress = _quiet) -> dict:
    """Write the archive to ``target`` (atomically: a half-written one never carries the name)
    and return its manifest."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    members: dict[str, dict] = {}
    started = time.monotonic()
    try:
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            counts, tables, migrations = _write_rows(tar, members, progress)
            files = _write_files(tar, members, progress)
            manifest = {
                "format": FORMAT,
                "version": _version(),
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": connection.vendor,
                "migrations": migrations,
                "counts": counts,
                "tables": tables,
                "files": files,
                "members": members,
            }
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            _add(tar, MANIFEST, io.BytesIO(data), len(data), {})
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    progress(
        f"Backup {target}: {sum(counts.values())} rows, {files['count']} files, "
        f"{target.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s"
    )
    return manifest


def verify(archive: Path, progress: Progress = _quiet) -> dict:
    """Read the whole archive and compare every member with the manifest's checksum."""
    found: dict[str, dict] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if not info.isfile():
                    raise BackupError(f"{info.name} is not a regular file")
                with tar.extractfile(info) as member:
                    if info.name == MANIFEST:
                        manifest = json.loads(member.read())
                        continue
                    digest = hashlib.file_digest(member, "sha256")
                found[info.name] = {"sha256": digest.hexdigest(), "size": info.size}
    except (OSError, EOFError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} is not a readable backup archive: {error}") from None
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has no manifest of a Hilfenetz backup (format {FORMAT})")
    expected = manifest["members"]
    damaged = sorted(
        name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name)
    )
    if damaged:
        raise BackupError(
            f"{archive} is damaged: {len(damaged)} member(s) differ from the manifest's "
            f"checksums, e.g. {', '.join(damaged[:5])}"
        )
    progress(f"Checksums of {len(found)} members are correct.")
    return manifest


def _newer_migrations(manifest: dict) -> list[str]:
    """Migrations the archive's installation had applied that this version does not know."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )


def nonempty_models() -> list[str]:
    return [model._meta.label for model in backed_up_models() if model._base_manager.exists()]


def _safe_name(member: str) -> str:
    name = member.removeprefix("files/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name:
        raise BackupError(f"{member} is not a safe file name")
    return name


def restore_backup(archive: Path, progress: Progress = _quiet) -> dict:
    """Load ``archive`` into this (migrated, empty) installation."""
    archive = Path(archive)
    started = time.monotonic()
    manifest = verify(archive, progress)
    newer = _newer_migrations(manifest)
    if newer:
        raise BackupError(
            f"The archive comes from a newer version ({manifest['version']}) than this "
            f"installation ({_version()}); it has migrations this one does not know: "
            f"{', '.join(newer[:5])}. Install that version (or a newer one) and restore again."
        )
    pending = MigrationLoader(connection).graph.leaf_nodes()
    applied = {tuple(m) for m in MigrationRecorder(connection).applied_migrations()}
    if any(leaf not in applied for leaf in pending):
        raise BackupError("This installation's database is not migrated: run `migrate` first.")
    filled = nonempty_models()
    if filled:
        raise BackupError(
            "This installation is not empty (rows in " + ", ".join(filled[:5]) + "); restore "
            "goes into an empty installation only: create a new database and run `migrate`."
        )
    with tempfile.TemporaryDirectory(prefix="hilfenetz-restore-") as workdir:
        fixtures = []
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                # members of empty tables are in the archive for the record, not loaded
                label = manifest["tables"].get(info.name)
                if label and manifest["counts"][label]:
                    path = Path(workdir) / PurePosixPath(_safe_name(info.name)).name
                    with tar.extractfile(info) as member, path.open("wb") as out:
                        shutil.copyfileobj(member, out, CHUNK)
                    fixtures.append(str(path))
        progress(f"Loading {sum(manifest['counts'].values())} rows ...")
        with transaction.atomic():
            call_command("loaddata", *sorted(fixtures), ignorenonexistent=True, verbosity=0)
            for model in backed_up_models():
                if getattr(model, "search_fields", None):
                    search.index_all(model._base_manager.all())
    progress("Restoring files ...")
    restored = 0
    with tarfile.open(archive, "r:gz") as tar:
        for info in tar:
            if not info.name.startswith("files/"):
                continue
            name = _safe_name(info.name)
            if default_storage.exists(name):
                default_storage.delete(name)
            with tar.extractfile(info) as member:
                saved = default_storage.save(name, File(member, name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}")
            restored += 1
    progress(
        f"Restored {sum(manifest['counts'].values())} rows and {restored} files from "
        f"{archive.name} (written {manifest['created']} by version {manifest['version']}) "
        f"in {time.monotonic() - started:.1f} s"
    )
    return manifest


def archive_name(now: datetime | None = None) -> str:
    return f"hilfenetz-{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}.tar.gz"


def backup_to_folder(progress: Progress = _quiet) -> Path:
    """A new archive in ``BACKUP_DIR``, keeping the ``BACKUP_KEEP`` newest there."""
    folder = Path(settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP
    target = folder / archive_name()
    write_backup(target, progress)
    archives = sorted(p for p in folder.iterdir() if ARCHIVE_NAME.match(p.name))
    for old in archives[: max(len(archives) - keep, 0)]:
        old.unlink()
        progress(f"Removed the old archive {old.name}")
    return target


@task()
def daily_backup() -> str:
    """The periodic job (registered in core/apps.py unless BACKUP_DAILY is off)."""
    return str(backup_to_folder())
