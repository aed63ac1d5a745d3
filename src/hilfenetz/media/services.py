"""Media-centre workflows. Views, the API, the admin, the demo and the tasks call these.

Files are checked completely (files.py, vtt.py) before anything is stored; what was stored is
removed again when a later step fails, so a failed upload leaves nothing behind.
"""

import contextlib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import Membership
from hilfenetz.core import audit, lifecycle, search
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import allowed, require
from hilfenetz.core.slugs import unique_slug
from hilfenetz.media import files, vtt
from hilfenetz.media.models import (
    FILE_TYPES,
    Caption,
    DownloadCount,
    Kind,
    MediaFile,
    MediaItem,
    MediaPolicy,
    MediaTranslation,
    PlatformDocument,
    Status,
)
from hilfenetz.regions.models import CoordinatorRole

REVIEW_INTERVAL = timedelta(days=365)
REMINDER_REPEAT_DAYS = 14
ITEM_FIELDS = (
    "kind",
    "easy_language",
    "sign_language",
    "licence",
    "published_on",
    "review_by",
    "platform_document",
)

audit.define_actions(
    publish=_("published"),
    submit=_("submitted for moderation"),
    withdraw=_("withdrawn"),
    review=_("confirmed as current"),
    add_language=_("language added"),
)


# --- storing ------------------------------------------------------------------------------------


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
def _storing():
    stored = _Stored()
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        stored.discard()
        raise


def _delete_later(field_file) -> None:
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


def _check_upload(kind: str, upload: Upload):
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


def _store_file(stored, item, upload: Upload, checked, tracks) -> MediaFile | None:
    if checked is None and not upload.url:
        return None
    previous = item.files.filter(language=upload.language).first()
    if previous is not None:
        _delete_later(previous.file)
        for caption in previous.captions.all():
            _delete_later(caption.file)
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
    parts = []
    for text in item.translations.all():
        parts += [text.title, text.description, text.transcript]
    item.search_text = " ".join(p for p in parts if p)
    MediaItem.objects.filter(pk=item.pk).update(search_text=item.search_text)
    search.index(item)


# Addresses of the media centre's own pages (urls.py), never an item's slug.
RESERVED_SLUGS = {"neu", "verwalten", "statistik", "leichte-sprache", "gebaerdensprache"}


# --- publishing ---------------------------------------------------------------------------------


def publisher_allowed(user, *, district, municipality=None, organisation=None) -> bool:
    if organisation is not None:
        return organisation.district_id == district.pk and allowed(
            "media.publish_for", user, organisation
        )
    return allowed("media.publish_for", user, municipality or district)


def needs_moderation(user, item: MediaItem) -> bool:
    if item.organisation_id is None or allowed("media.moderate", user, item):
        return False
    policy = MediaPolicy.objects.filter(district_id=item.district_id).first()
    return policy is None or policy.moderate_organisation_items


def _transition(item: MediaItem, to: str, actor, action: str, note: str = "") -> MediaItem:
    first = {"published_on": timezone.localdate()} if to == Status.PUBLISHED else None
    lifecycle.transition(item, to, first=first)
    audit.record(item, action, actor=actor, note=note)
    return item


def _submit(item: MediaItem, actor) -> MediaItem:
    if needs_moderation(actor, item):
        return _transition(item, Status.PENDING, actor, "submit")
    return _transition(item, Status.PUBLISHED, actor, "publish")


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
    checked, tracks = _check_upload(kind, upload)
    generated = fields.get("platform_document") == PlatformDocument.OFFICES
    if checked is None and not upload.url and not generated:
        raise ValidationError(_("Please add a file or an address."))
    with _storing() as stored:
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
        item.full_clean()
        try:
            item.save()
        except IntegrityError:
            raise ValidationError(
                _("This district has this platform document already; add a language to it.")
            ) from None
        item.topics.set(topics)
        text = MediaTranslation(
            item=item,
            language=language,
            title=title,
            description=description,
            transcript=transcript,
        )
        text.full_clean(exclude=["item"])
        text.save()
        _store_file(stored, item, upload, checked, tracks)
        audit.record(item, "create", actor=user, changes={"language": language})
        if publish:
            _submit(item, user)
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
    checked, tracks = _check_upload(item.kind, upload)
    with _storing() as stored:
        item = lifecycle.locked(item)
        text = item.translations.filter(language=language).first() or MediaTranslation(
            item=item, language=language
        )
        text.title, text.description, text.transcript = title, description, transcript
        text.full_clean(exclude=["item"])
        text.save()
        _store_file(stored, item, upload, checked, tracks)
        audit.record(item, "add_language", actor=user, changes={"language": language})
        if item.status == Status.PUBLISHED and needs_moderation(user, item):
            _transition(item, Status.PENDING, user, "submit")
        reindex(item)
    return item


def add_captions(user, media_file: MediaFile, language: str, track) -> Caption:
    require("media.edit_item", user, media_file.item)
    if not (media_file.is_video or media_file.is_audio):
        raise ValidationError(_("Captions belong to a video or audio file."))
    data = vtt_bytes(track)
    with _storing() as stored:
        old = media_file.captions.filter(language=language).first()
        if old is not None:
            _delete_later(old.file)
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
def publish(user, item: MediaItem) -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    if item.status == Status.PUBLISHED:
        return item
    if not item.files.exists() and item.platform_document != PlatformDocument.OFFICES:
        raise ValidationError(_("Please add a file or an address first."))
    return _submit(item, user)


@transaction.atomic
def withdraw(user, item: MediaItem, note: str = "") -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    return _transition(item, Status.WITHDRAWN, user, "withdraw", note)


@transaction.atomic
def approve(user, item: MediaItem) -> MediaItem:
    require("media.moderate", user, item)
    item = lifecycle.locked(item)
    if item.status != Status.PENDING:
        raise ValidationError(_("Only items waiting for moderation can be approved."))
    return _transition(item, Status.PUBLISHED, user, "publish")


@transaction.atomic
def mark_reviewed(user, item: MediaItem) -> MediaItem:
    require("media.edit_item", user, item)
    item = lifecycle.locked(item)
    item.reviewed_at = timezone.now()
    item.review_by = timezone.localdate() + REVIEW_INTERVAL
    item.save(update_fields=["reviewed_at", "review_by", "updated_at"])
    audit.record(item, "review", actor=user)
    return item


@transaction.atomic
def delete_file(user, media_file: MediaFile) -> None:
    require("media.edit_item", user, media_file.item)
    _delete_later(media_file.file)
    _delete_later(media_file.thumbnail)
    for caption in media_file.captions.all():
        _delete_later(caption.file)
    audit.record(media_file.item, "update", actor=user, changes={"removed": media_file.language})
    media_file.delete()


# --- finding ------------------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    language: str = ""
    audience: str = ""
    topic: object = None
    kind: str = ""
    easy_language: bool = False
    sign_language: bool = False


def _has_language(language: str):
    in_file = Exists(MediaFile.objects.filter(item=OuterRef("pk"), language=language))
    in_caption = Exists(Caption.objects.filter(media_file__item=OuterRef("pk"), language=language))
    in_text = Exists(MediaTranslation.objects.filter(item=OuterRef("pk"), language=language))
    generated = Q(platform_document=PlatformDocument.OFFICES)
    return in_file, in_caption | in_text | generated


def browse(filters: Filters, language: str, queryset=None):
    """Published items matching ``filters``: those with a file in the visitor's ``language``
    first, then those with captions or a text in it, then the others; newest first."""
    qs = (queryset if queryset is not None else MediaItem.objects.published()).for_display()
    qs = qs.prefetch_related("topics")
    if search.Terms.parse(filters.q).words:
        qs = search.search(qs, filters.q)
    if filters.language:
        in_file, elsewhere = _has_language(filters.language)
        qs = qs.filter(in_file | elsewhere)
    if filters.audience:
        qs = qs.filter(audiences__contains=f",{filters.audience},")
    if filters.topic is not None:
        qs = qs.filter(topics=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.easy_language:
        qs = qs.filter(easy_language=True)
    if filters.sign_language:
        qs = qs.filter(sign_language=True)
    own_file, own_other = _has_language(language)
    qs = qs.annotate(
        own_file=own_file,
        own_other=models.ExpressionWrapper(own_other, output_field=models.BooleanField()),
    )
    newest = [F("published_on").desc(nulls_last=True), "-pk"]
    return qs.order_by("-own_file", "-own_other", *newest)


def platform_document(district, kind: str):
    return MediaItem.objects.published().filter(district=district, platform_document=kind).first()


# --- counting -----------------------------------------------------------------------------------


def count_download(item: MediaItem, language: str, today: date | None = None) -> None:
    """One more opening of ``item`` in ``language`` today. Nothing about the person is kept."""
    today = today or timezone.localdate()
    updated = DownloadCount.objects.filter(item=item, language=language, day=today).update(
        count=F("count") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(item=item, language=language, day=today, count=1)
    except IntegrityError:  # created by a parallel request in the meantime
        DownloadCount.objects.filter(item=item, language=language, day=today).update(
            count=F("count") + 1
        )


def download_statistics(user, since: date):
    """Rows ``{item, total, per language}`` for the items the user coordinates, most first."""
    counts = (
        DownloadCount.objects.filter(
            item__in=MediaItem.objects.editable_by(user).values("pk"), day__gte=since
        )
        .values("item_id", "language")
        .annotate(n=Sum("count"))
    )
    per_item: dict[int, dict[str, int]] = {}
    for row in counts:
        per_item.setdefault(row["item_id"], {})[row["language"]] = row["n"]
    items = MediaItem.objects.filter(pk__in=per_item).prefetch_related("translations")
    languages = [code for code, _name in settings.LANGUAGES]
    rows = [
        {
            "item": item,
            "total": sum(per_item[item.pk].values()),
            "languages": [per_item[item.pk].get(code, 0) for code in languages],
        }
        for item in items
    ]
    rows.sort(key=lambda r: (-r["total"], r["item"].pk))
    return languages, rows


# --- freshness ----------------------------------------------------------------------------------


def review_due(user, today: date | None = None):
    return (
        MediaItem.objects.editable_by(user)
        .review_overdue(today)
        .prefetch_related("translations")
        .order_by("review_by")
    )


def needing_attention(user, today: date | None = None) -> tuple[list, list]:
    """The items the user manages that wait for moderation (latest change first) and those past
    their review date (most overdue first), read in one query."""
    items = list(
        MediaItem.objects.editable_by(user)
        .filter(Q(status=Status.PENDING) | MediaItem.objects.overdue(today))
        .select_related("district", "municipality", "organisation")
        .order_by("-updated_at")
    )
    pending = [item for item in items if item.status == Status.PENDING]
    overdue = sorted((item for item in items if item not in pending), key=lambda i: i.review_by)
    return pending, overdue


def remind_reviews(today: date | None = None) -> int:
    """Mail coordinators and organisation admins whose published items are past their review
    date, at most once per reminder window."""
    today = today or timezone.localdate()
    if not MediaItem.objects.review_overdue(today).exists():
        return 0
    window = today.toordinal() // REMINDER_REPEAT_DAYS
    people = {r.user for r in CoordinatorRole.objects.select_related("user")}
    people |= {
        m.user
        for m in Membership.objects.active()
        .admins()
        .filter(organisation__media_items__isnull=False)
        .select_related("user")
    }
    sent = 0
    for person in sorted((p for p in people if p.is_active), key=lambda p: p.pk):
        items = list(review_due(person, today))
        if not items:
            continue
        queue_mail(
            f"media.review:{person.pk}:{window}",
            person,
            "media/mail/review",
            {"user": person, "items": items},
        )
        sent += 1
    return sent
