"""Uploads are checked by their content, never by their name or declared type.

PDFs are opened in a limited child process and their pages counted (pdfcheck.py); images go
through Pillow and are stored re-encoded without metadata; audio and video are probed with
ffprobe (reading local files only). Anything else - SVG, HTML, archives - is refused with a
message that says what is accepted. Nothing is stored here: the services store what passed.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from PIL import Image

from hilfenetz.core import images
from hilfenetz.core.i18n import isolate_ltr

PDF, IMAGE, VIDEO, AUDIO = "pdf", "image", "video", "audio"
PROBE_SECONDS = 30
# Containers browsers play, by ffprobe's format name, and the codecs they play in them.
AV_CONTENT_TYPES = {
    "mov,mp4,m4a,3gp,3g2,mj2": ("video/mp4", "audio/mp4", ".mp4", ".m4a"),
    "matroska,webm": ("video/webm", "audio/webm", ".webm", ".weba"),
    "ogg": ("video/ogg", "audio/ogg", ".ogv", ".ogg"),
    "mp3": (None, "audio/mpeg", None, ".mp3"),
    "wav": (None, "audio/wav", None, ".wav"),
    "flac": (None, "audio/flac", None, ".flac"),
}
VIDEO_CODECS = {"h264", "vp8", "vp9", "av1", "theora"}
AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "flac", "pcm_s16le", "pcm_s24le", "pcm_u8"}
ACCEPTED = "PDF, JPEG, PNG, WebP, MP4, WebM, Ogg, MP3, M4A, WAV, FLAC"


@dataclass
class Checked:
    """What a check found; ``content`` is what gets stored (the upload or a clean copy)."""

    type: str
    content_type: str
    extension: str
    size: int
    content: File
    pages: int | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    codecs: str = ""


def max_bytes(file_type: str) -> int:
    if file_type == IMAGE:  # the shared photo pipeline has its own, lower limit
        return min(settings.MEDIA_MAX_DOCUMENT_MB * 1024 * 1024, images.MAX_UPLOAD_BYTES)
    megabytes = (
        settings.MEDIA_MAX_AV_MB if file_type in (VIDEO, AUDIO) else settings.MEDIA_MAX_DOCUMENT_MB
    )
    return megabytes * 1024 * 1024


def limits_text() -> str:
    return _("PDF up to %(doc)s MB, images up to %(img)s MB, audio and video up to %(av)s MB.") % {
        "doc": max_bytes(PDF) // (1024 * 1024),
        "img": max_bytes(IMAGE) // (1024 * 1024),
        "av": max_bytes(VIDEO) // (1024 * 1024),
    }


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is too large: at most %(mb)s MB for this kind of file.")
        % {"mb": limit // (1024 * 1024)},
        code="too_large",
    )


def sniff(head: bytes) -> str | None:
    """The file type by its first bytes; None for anything we do not take."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return IMAGE
    if (
        head[4:8] == b"ftyp"
        or head.startswith((b"\x1a\x45\xdf\xa3", b"OggS", b"ID3", b"fLaC"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WAVE")
        or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)  # MPEG audio frame
    ):
        return "av"
    return None


def _refusal(head: bytes) -> ValidationError:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<svg", b"<?xml")) or b"<svg" in start[:1024]:
        return ValidationError(
            _("SVG graphics can contain scripts and are not accepted. Please upload PNG or PDF."),
            code="active_content",
        )
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return ValidationError(_("Web pages (HTML) are not accepted."), code="active_content")
    if start.startswith((b"pk\x03\x04", b"rar!", b"7z\xbc\xaf")):
        return ValidationError(
            _("Archives (ZIP, RAR, 7z) are not accepted. Please upload the files themselves."),
            code="archive",
        )
    return ValidationError(
        _("This file type is not accepted. Accepted are: %(types)s.")
        % {"types": isolate_ltr(ACCEPTED)},
        code="unknown_type",
    )


@contextlib.contextmanager
def local_path(content):
    """A path on disk holding ``content`` (an upload or a stored file), removed afterwards."""
    existing = getattr(content, "temporary_file_path", None)
    if existing is not None:
        yield existing()
        return
    with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
        content.seek(0)
        shutil.copyfileobj(content, tmp, 1024 * 1024)
        tmp.flush()
        content.seek(0)
        yield tmp.name


def _check_pdf(upload, size: int) -> Checked:
    upload.seek(0)
    try:
        completed = subprocess.run(  # noqa: S603 - our own module, input on stdin
            [sys.executable, "-m", "hilfenetz.media.pdfcheck"],
            input=upload.read(),
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        result = json.loads(completed.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError):
        result = {"error": "too_complex"}
    upload.seek(0)
    messages = {
        "encrypted": _("The PDF is protected with a password. Please upload it without one."),
        "too_many_pages": _("The PDF has too many pages (at most 2000)."),
        "active_content": _("The PDF contains scripts or actions and is not accepted."),
        "too_complex": _(
            "The PDF is too complex to open safely. Please save it again, e.g. with “Print to PDF”."
        ),
        "no_pages": _("The PDF has no pages."),
    }
    if "pages" not in result:
        error = result.get("error", "unreadable")
        raise ValidationError(messages.get(error, _("The file is not a readable PDF.")), code=error)
    return Checked(PDF, "application/pdf", ".pdf", size, upload, pages=result["pages"])


def _check_image(upload, size: int) -> Checked:
    # Flyers and posters are read on screens: a clean JPEG of at most 3000 pixels.
    clean = images.prepare_image(upload, max_edge=3000)
    with Image.open(clean) as image:
        width, height = image.size
    clean.seek(0)
    return Checked(IMAGE, "image/jpeg", ".jpg", clean.size, clean, width=width, height=height)


def probe(path: str) -> dict:
    """ffprobe's JSON about a local file; only the file protocol, so a playlist that names
    other addresses makes no request."""
    completed = subprocess.run(  # noqa: S603
        [
            shutil.which("ffprobe") or "ffprobe",
            "-v",
            "error",
            "-protocol_whitelist",
            "file",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            path,
        ],
        capture_output=True,
        timeout=PROBE_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        return {}
    return json.loads(completed.stdout or b"{}")


def _check_av(upload, size: int) -> Checked:
    unplayable = ValidationError(
        _(
            "This audio or video file cannot be played in browsers. Please use MP4 (H.264/AAC), "
            "WebM, MP3 or M4A."
        ),
        code="unplayable",
    )
    try:
        with local_path(upload) as path:
            info = probe(path)
    except (subprocess.TimeoutExpired, ValueError):
        info = {}
    container = info.get("format", {}).get("format_name", "")
    if container not in AV_CONTENT_TYPES:
        raise unplayable
    streams = info.get("streams", [])
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    video_type, audio_type, video_ext, audio_ext = AV_CONTENT_TYPES[container]
    codecs = [s.get("codec_name", "") for s in video + audio]
    if any(c not in VIDEO_CODECS | AUDIO_CODECS for c in codecs) or not codecs:
        raise unplayable
    try:
        duration = float(info["format"].get("duration") or 0)
    except ValueError:
        duration = 0.0
    if video and video_type:
        return Checked(
            VIDEO,
            video_type,
            video_ext,
            size,
            upload,
            duration=duration,
            width=video[0].get("width"),
            height=video[0].get("height"),
            codecs=",".join(codecs),
        )
    if video:
        raise unplayable
    return Checked(
        AUDIO, audio_type, audio_ext, size, upload, duration=duration, codecs=",".join(codecs)
    )


CHECKS = {PDF: _check_pdf, IMAGE: _check_image, "av": _check_av}


def check(upload, allowed_types) -> Checked:
    """Check an uploaded file against the types an item accepts; raise ValidationError."""
    size = upload.size
    if size is None or size > max_bytes(VIDEO):
        raise _too_large(max_bytes(VIDEO))
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    detected = sniff(head)
    if detected is None:
        raise _refusal(head)
    if detected != "av" and size > max_bytes(detected):
        raise _too_large(max_bytes(detected))
    checked = CHECKS[detected](upload, size)
    if checked.type not in allowed_types:
        raise ValidationError(
            _("This file does not fit the kind of item (a %(found)s file was uploaded).")
            % {"found": TYPE_LABELS[checked.type]()},
            code="wrong_kind",
        )
    if checked.size > max_bytes(checked.type):
        raise _too_large(max_bytes(checked.type))
    return checked


TYPE_LABELS = {
    PDF: lambda: _("PDF"),
    IMAGE: lambda: _("image"),
    VIDEO: lambda: _("video"),
    AUDIO: lambda: _("audio"),
}
