"""Every server of one installation must see the same uploads: an S3-compatible store, or one
folder shared by all of them. A second server with its own local folder would answer 500 for
files uploaded through the first and fail their preview tasks.

So the database names the installation (one ``Installation`` row with a random key), and the
upload storage holds the file ``.hilfenetz-installation`` with the same key. The first server
to start writes both; any server whose storage lacks the mark, or holds another installation's,
refuses to start (``manage.py check_uploads``, run by scripts/serve, and ``check --deploy``).
"""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from hilfenetz.core.files import local_path
from hilfenetz.core.models import Installation

MARK = ".hilfenetz-installation"


class UploadsNotShared(Exception):
    """This server's upload storage is not the one the database's other servers use."""


def where(storage) -> str:
    path = local_path(storage, MARK)
    if path is not None:
        return f"the upload folder {path.removesuffix(MARK)}"
    return f"the bucket {getattr(storage, 'bucket_name', '?')}"


def read_mark(storage) -> str | None:
    if not storage.exists(MARK):
        return None
    with storage.open(MARK, "rb") as mark:
        return mark.read().decode("ascii", "replace").strip()


def check_uploads(storage=None) -> str:
    """The installation's key once this server's upload storage is known to be the shared one;
    raises :class:`UploadsNotShared` with what to do otherwise. The first call of an
    installation creates the key and the mark."""
    storage = storage or default_storage
    with transaction.atomic():
        # The row and the mark are made together: a server racing on a fresh database waits
        # for this transaction and only then reads the mark (found if it shares the storage).
        # A refusal raised in here leaves no row behind.
        installation, created = Installation.objects.get_or_create(
            pk=1, defaults={"key": uuid.uuid4().hex}
        )
        found = read_mark(storage)
        if found == installation.key:
            return installation.key
        if found is None and created:
            storage.save(MARK, ContentFile(installation.key.encode("ascii")))
            return installation.key
        if found is None:
            raise UploadsNotShared(
                f"Refusing to start: {where(storage)} has no {MARK} file, but the database "
                f"belongs to the installation {installation.key}. This server does not see the "
                "uploads of the others. Give every server the same S3-compatible store "
                "(STORAGE_BUCKET) or mount one shared folder as MEDIA_ROOT on every server."
            )
        raise UploadsNotShared(
            f"Refusing to start: {where(storage)} belongs to the installation {found}, but the "
            f"database to {installation.key}. Point MEDIA_ROOT or STORAGE_BUCKET at this "
            "installation's uploads (or this server at that installation's database)."
        )
