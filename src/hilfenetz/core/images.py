"""Uploaded photos of every app: checked by their content, stripped of EXIF data, resized,
re-encoded, stored through the storage API.

The file name and the declared content type are never trusted: Pillow must be able to read the
image, it must not be a decompression bomb, and what is stored is a new JPEG written from the
pixels only (no EXIF, so no GPS position, no camera serial number).
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # width x height before decoding; far above any phone camera
MAX_EDGE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
JPEG_QUALITY = 85


class PreparedImage(ContentFile):
    """A photo that went through :func:`prepare_image`."""


def prepare_image(upload, *, max_edge: int | None = None) -> PreparedImage:
    """Read an uploaded file and return a clean JPEG (longest edge at most ``max_edge``), or
    raise ValidationError. An already prepared image is returned as it is."""
    if isinstance(upload, PreparedImage):
        return upload
    max_edge = max_edge or MAX_EDGE
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is too large (at most %(mb)s MB).")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is too large (at most %(mb)s MB).")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    not_an_image = ValidationError(_("This file is not a photo we can read (JPEG, PNG or WebP)."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The photo has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise not_an_image from exc
    image = ImageOps.exif_transpose(image)  # keep the orientation, then drop the metadata
    image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    clean = Image.new("RGB", image.size)
    clean.paste(image)  # a new image carries no info/EXIF of the original
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return PreparedImage(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def save_image(instance, field_name: str, upload, **prepare_options):
    """Prepare ``upload``, store it in ``instance``'s image field through that field's storage
    and save ``instance``; the stored file is removed again when saving the row fails."""
    image = prepare_image(upload, **prepare_options)
    field_file = getattr(instance, field_name)
    field_file.save(image.name, image, save=False)
    name, storage = field_file.name, field_file.storage
    try:
        instance.save()
    except Exception:
        storage.delete(name)
        raise
    return instance


def delete_image(instance, field_name: str) -> None:
    """Delete ``instance`` and, once the transaction commits, its stored image file."""
    field_file = getattr(instance, field_name)
    name, storage = field_file.name, field_file.storage
    instance.delete()
    transaction.on_commit(lambda: storage.delete(name))
