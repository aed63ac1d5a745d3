"""Items created, given another language or captions, changed, and files removed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import audit, lifecycle
from hilfenetz.core.predicates import allowed, require
from hilfenetz.core.slugs import unique_slug
from hilfenetz.media.models import (
    Caption,
    MediaFile,
    MediaItem,
    PlatformDocument,
    Status,
)
from hilfenetz.media.services.common import ITEM_FIELDS, REVIEW_INTERVAL
from hilfenetz.media.services.moderation import needs_moderation, submit, transition
from hilfenetz.media.services.uploads import (
    Upload,
    check_upload,
    delete_later,
    reindex,
    store_file,
    storing,
    vtt_bytes,
)


def _set_texts(item: MediaItem, language: str, **texts) -> None:
    """One language's title, description and transcript; checked with the item
    (``full_clean``: a known language, not too long)."""
    if not texts.get("title", "").strip():
        raise ValidationError({"title": _("Please give a title.")})
    item.translations = {
        **item.translations,
        language: {field: text for field, text in texts.items() if text},
    }


# Addresses of the media centre's own pages (urls.py), never an item's slug.
RESERVED_SLUGS = {"neu", "verwalten", "statistik", "leichte-sprache", "gebaerdensprache"}


def publisher_allowed(user, *, district, municipality=None, organisation=None) -> bool:
    if organisation is not None:
        return organisation.district_id == district.pk and allowed(
            "media.publish_for", user, organisation
        )
    return allowed("media.publish_for", user, municipality or district)


def create_item(
    user,
    *,
    district,
    kind: str,
    language: str,
    title: str,
    description: str = "",
    transcript: str = "",
    municipality=None,
    organisation=None,
    audiences=(),
    topics=(),
    upload: Upload | None = None,
    publish: bool = True,
    **fields,
) -> MediaItem:
    """Create an item with its text and file (or link) in one language. Published at once, or
    waiting for a coordinator when an organisation publishes in a moderating district."""
    if organisation is not None:  # an organisation publishes where it works
        municipality = organisation.municipality
    if not publisher_allowed(
        user, district=district, municipality=municipality, organisation=organisation
    ):
        raise PermissionDenied
    upload = upload or Upload(language=language)
    checked, tracks = check_upload(kind, upload)
    generated = fields.get("platform_document") == PlatformDocument.OFFICES
    if checked is None and not upload.url and not generated:
        raise ValidationError(_("Please add a file or an address."))
    with storing() as stored:
        item = MediaItem(
            district=district,
            municipality=municipality,
            organisation=organisation,
            kind=kind,
            created_by=user,
            slug=unique_slug(
                MediaItem.objects, title, fallback=kind, max_length=100, reserved=RESERVED_SLUGS
            ),
            review_by=timezone.localdate() + REVIEW_INTERVAL,
            **{k: v for k, v in fields.items() if k in ITEM_FIELDS},
        )
        item.audience_list = audiences
        _set_texts(item, language, title=title, description=description, transcript=transcript)
        if item.platform_document:
            require("media.keep_platform_document", user, item)
        item.full_clean()
        try:
            item.save()
        except IntegrityError:
            raise ValidationError(
                _("This district has this platform document already; add a language to it.")
            ) from None
        item.topics.set(topics)
        store_file(stored, item, upload, checked, tracks)
        audit.record(item, "create", actor=user, changes={"language": language})
        if publish:
            submit(item, user)
        reindex(item)
    return item


def add_language(
    user,
    item: MediaItem,
    *,
    language: str,
    title: str,
    description: str = "",
    transcript: str = "",
    upload: Upload | None = None,
) -> MediaItem:
    """Add or replace the text and file (or link) of one language."""
    require("media.edit_item", user, item)
    upload = upload or Upload(language=language)
    upload.language = language
    checked, tracks = check_upload(item.kind, upload)
    with storing() as stored:
        item = lifecycle.locked(item)
        _set_texts(item, language, title=title, description=description, transcript=transcript)
        item.full_clean()
        item.save(update_fields=["translations", "updated_at"])
        store_file(stored, item, upload, checked, tracks)
        audit.record(item, "add_language", actor=user, changes={"language": language})
        if item.status == Status.PUBLISHED and needs_moderation(user, item):
            transition(item, Status.PENDING, user, "submit")
        reindex(item)
    return item


def add_captions(user, media_file: MediaFile, language: str, track) -> Caption:
    require("media.edit_item", user, media_file.item)
    if not (media_file.is_video or media_file.is_audio):
        raise ValidationError(_("Captions belong to a video or audio file."))
    data = vtt_bytes(track)
    with storing() as stored:
        old = media_file.captions.filter(language=language).first()
        if old is not None:
            delete_later(old.file)
            old.delete()
        caption = Caption(media_file=media_file, language=language)
        stored.save(caption.file, ".vtt", ContentFile(data))
        caption.save()
    return caption


@transaction.atomic
def update_item(user, item: MediaItem, *, audiences=None, topics=None, **fields) -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    changes = {}
    for name in ITEM_FIELDS:
        if name in fields and getattr(item, name) != fields[name]:
            changes[name] = str(fields[name])
            setattr(item, name, fields[name])
    if "platform_document" in changes:
        require("media.keep_platform_document", user, item)
    if audiences is not None:
        item.audience_list = audiences
    item.full_clean()
    try:
        item.save()
    except IntegrityError:
        raise ValidationError(_("This district has this platform document already.")) from None
    if topics is not None:
        item.topics.set(topics)
    audit.record(item, "update", actor=user, changes=changes)
    return item


@transaction.atomic
def delete_file(user, media_file: MediaFile) -> None:
    require("media.edit_item", user, media_file.item)
    delete_later(media_file.file)
    delete_later(media_file.thumbnail)
    for caption in media_file.captions.all():
        delete_later(caption.file)
    audit.record(media_file.item, "update", actor=user, changes={"removed": media_file.language})
    media_file.delete()
