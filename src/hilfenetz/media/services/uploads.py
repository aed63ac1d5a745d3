"""Uploads checked completely (files.py, vtt.py) before anything is stored; what was stored is
removed again when a later step fails, so a failed upload leaves nothing behind."""

import contextlib
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from hilfenetz.core import search
from hilfenetz.media import files, vtt
from hilfenetz.media.models import FILE_TYPES, Caption, Kind, MediaFile, MediaItem


class _Stored:
    """Names written to storage in one step; removed if the step fails."""

    def __init__(self):
        self.names: list[tuple[object, str]] = []

    def save(self, field_file, extension: str, content) -> None:
        field_file.save(f"{uuid.uuid4().hex}{extension}", content, save=False)
        self.names.append((field_file.storage, field_file.name))

    def discard(self) -> None:
        for storage, name in self.names:
            with contextlib.suppress(Exception):
                storage.delete(name)


@contextlib.contextmanager
def storing():
    stored = _Stored()
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        stored.discard()
        raise


def delete_later(field_file) -> None:
    if field_file:
        name, storage = field_file.name, field_file.storage
        transaction.on_commit(lambda: storage.delete(name))


@dataclass
class Upload:
    """A file (or link) for one language with its caption tracks ``{language: upload}``."""

    language: str
    file: object = None
    url: str = ""
    captions: dict | None = None


def check_upload(kind: str, upload: Upload):
    """Check everything before storing anything: (checked file or None, {lang: vtt bytes})."""
    if upload.file is None and not upload.url:
        return None, {}
    if upload.file is not None and upload.url:
        raise ValidationError(_("Please give either a file or an address, not both."))
    checked = files.check(upload.file, FILE_TYPES[kind]) if upload.file is not None else None
    if kind == Kind.LINK and upload.file is not None:
        raise ValidationError(_("A link has an address, not a file."))
    tracks = {}
    for language, track in (upload.captions or {}).items():
        if track is None:
            continue
        if checked is None or checked.type not in (files.VIDEO, files.AUDIO):
            raise ValidationError(_("Captions belong to a video or audio file."))
        tracks[language] = vtt_bytes(track)
    return checked, tracks


def vtt_bytes(track) -> bytes:
    track.seek(0)
    data = track.read(vtt.MAX_BYTES + 1)
    vtt.parse(data)
    return data


def store_file(stored, item, upload: Upload, checked, tracks) -> MediaFile | None:
    if checked is None and not upload.url:
        return None
    previous = item.files.filter(language=upload.language).first()
    if previous is not None:
        delete_later(previous.file)
        for caption in previous.captions.all():
            delete_later(caption.file)
        previous.delete()
    media_file = MediaFile(item=item, language=upload.language, url=upload.url)
    if checked is not None:
        stored.save(media_file.file, checked.extension, checked.content)
        for name in ("content_type", "size", "pages", "duration", "width", "height", "codecs"):
            setattr(media_file, name, getattr(checked, name))
    media_file.full_clean(exclude=["item", "file"])
    media_file.save()
    for language, data in tracks.items():
        caption = Caption(media_file=media_file, language=language)
        stored.save(caption.file, ".vtt", ContentFile(data))
        caption.save()
    if checked is not None and checked.type in (files.PDF, files.VIDEO):
        transaction.on_commit(lambda: _enqueue_preview(media_file.pk))
    return media_file


def _enqueue_preview(file_id: int) -> None:
    from hilfenetz.media.tasks import make_preview

    make_preview.enqueue(file_id)


def reindex(item: MediaItem) -> None:
    """Gather the titles, descriptions and transcripts of every language for the search."""
    item.search_text = " ".join(
        text for texts in item.all_texts().values() for text in texts.values()
    )
    MediaItem.objects.filter(pk=item.pk).update(search_text=item.search_text)
    search.index(item)
