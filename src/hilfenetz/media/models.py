"""The media centre: brochures, flyers, handbooks, forms, videos, audio and links, each with a
text and a file (or link) per language, captions per language, and anonymous download counts."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hilfenetz.core import search
from hilfenetz.core.models import Translated
from hilfenetz.core.predicates import rule_q
from hilfenetz.core.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    BROCHURE = "brochure", _("Brochure")
    FLYER = "flyer", _("Flyer")
    HANDBOOK = "handbook", _("Handbook")
    FORM = "form", _("Form")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    LINK = "link", _("Link")


#: What a file of each kind may be (see files.py).
DOCUMENT_KINDS = (Kind.BROCHURE, Kind.FLYER, Kind.HANDBOOK, Kind.FORM)
FILE_TYPES = {
    **{kind: ("pdf", "image") for kind in DOCUMENT_KINDS},
    Kind.VIDEO: ("video",),
    Kind.AUDIO: ("audio",),
    Kind.LINK: (),
}


class Audience(models.TextChoices):
    REFUGEES = "refugees", _("Refugees")
    VOLUNTEERS = "volunteers", _("Volunteers")
    COORDINATORS = "coordinators", _("Coordinators")
    ORGANISATIONS = "organisations", _("Organisations")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlatformDocument(models.TextChoices):
    """Documents a district keeps current under a stable address."""

    OFFICES = "offices", _("List of coordination offices (always current)")
    VOLUNTEER_STANDARDS = "volunteer_standards", _("Standards for working with volunteers")
    REFUGEE_HANDBOOK = "refugee_handbook", _("Handbook for refugee work")


class MediaItemQuerySet(ScopedQuerySet):
    municipality_path = "municipality"
    district_path = "district"

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """The rows of the rule ``media.view_item``."""
        return self.filter(rule_q("media.view_item", user or AnonymousUser(), self.model))

    def editable_by(self, user):
        """The rows of the rule ``media.edit_item``."""
        return self.filter(rule_q("media.edit_item", user, self.model))

    @staticmethod
    def overdue(today=None) -> Q:
        """Published and past the review date."""
        return Q(status=Status.PUBLISHED, review_by__lt=today or timezone.localdate())

    def review_overdue(self, today=None):
        return self.filter(self.overdue(today))

    def for_display(self):
        return self.select_related("district", "municipality", "organisation").prefetch_related(
            "files__captions"
        )


@search.indexed("search_text")
class MediaItem(Translated):
    """A brochure, flyer, handbook, form, video, audio or link, with its title, description
    and transcript in each language it was written in (``translations``, every language there:
    an item may be written first in any of them) and a file per language (``files``)."""

    translated_fields = ("title", "description", "transcript")
    german_in_fields = False
    text_limits = {"title": 200, "description": 4000, "transcript": 20000}
    translation_labels = {
        "title": _("Title (%(language)s)"),
        "description": _("Description (%(language)s)"),
        "transcript": _("Transcript (%(language)s)"),
    }

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="media_items",
        verbose_name=_("district"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media_items",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media_items",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Comma-separated audience codes wrapped in commas (",refugees,volunteers,") so that one
    # audience is found with a plain ``contains`` on every database.
    audiences = models.CharField(_("audience"), max_length=80, default=",", editable=False)
    easy_language = models.BooleanField(
        _("Leichte Sprache"),
        default=False,
        help_text=_("The German text follows the rules of Leichte Sprache (easy German)."),
    )
    sign_language = models.BooleanField(
        _("German Sign Language (DGS)"),
        default=False,
        help_text=_("The video is in German Sign Language."),
    )
    topics = models.ManyToManyField(
        "core.Topic", blank=True, related_name="media_items", verbose_name=_("topics")
    )
    platform_document = models.CharField(
        _("platform document"),
        max_length=24,
        choices=PlatformDocument.choices,
        blank=True,
        help_text=_("Shown under a stable address that always leads to the current version."),
    )
    licence = models.CharField(
        _("licence and rights"),
        max_length=300,
        blank=True,
        help_text=_("Who holds the rights, and whether others may print and pass it on."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("By this date someone checks that the content is still correct."),
    )
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Titles, descriptions and transcripts of every language, for the text search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MediaItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "platform_document"],
                condition=~Q(platform_document=""),
                name="media_platform_document_once_per_district",
            )
        ]
        verbose_name = _("media item")
        verbose_name_plural = _("media items")

    def __str__(self):
        return self.text("title") or self.slug

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audiences.split(",") if a]

    @audience_list.setter
    def audience_list(self, values):
        self.audiences = "," + ",".join(v for v in Audience.values if v in set(values)) + ","

    def audience_labels(self) -> list[str]:
        return [Audience(a).label for a in self.audience_list]

    def publisher(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.municipality_id:
            return self.municipality.name
        return self.district.name

    def languages(self) -> list[str]:
        """Languages the item can be used in: files, captions and texts, in settings order."""
        if self.platform_document == PlatformDocument.OFFICES:
            return [code for code, _name in settings.LANGUAGES]  # generated in each language
        found = {f.language for f in self.files.all()}
        found |= {c.language for f in self.files.all() for c in f.captions.all()}
        found |= set(self.all_texts())
        return [code for code, _name in settings.LANGUAGES if code in found]

    def file_for(self, language: str | None):
        files = {f.language: f for f in self.files.all()}
        return files.get(language) or files.get("de") or next(iter(files.values()), None)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


def upload_path(instance, filename):
    # The stored name never comes from the uploader: a random name and the checked extension.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"media/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class MediaFile(models.Model):
    """The file (or external link) of an item in one language, with what its check found."""

    item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200, blank=True)
    url = models.URLField(_("external address"), max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    codecs = models.CharField(max_length=100, blank=True)
    thumbnail = models.ImageField(
        upload_to="media/thumbnails/%Y/%m/", max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="media_file_once"),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="media_file_or_link",
            ),
        ]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return f"{self.item_id} [{self.language}]"

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def is_audio(self) -> bool:
        return self.content_type.startswith("audio/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def minutes_seconds(self) -> str:
        total = round(self.duration or 0)
        return f"{total // 60}:{total % 60:02d}"


class Caption(models.Model):
    """A WebVTT caption track of a video or audio file."""

    media_file = models.ForeignKey(MediaFile, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(upload_to=upload_path, max_length=200)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["media_file", "language"], name="media_caption_once")
        ]
        verbose_name = _("captions")
        verbose_name_plural = _("captions")

    def __str__(self):
        return f"{self.media_file} [{self.language}]"


class DownloadCount(models.Model):
    """How often an item was opened in a language on a day. Nothing about who opened it."""

    item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="downloads")
    language = models.CharField(max_length=8)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "language", "day"], name="media_count_once")
        ]
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")

    def __str__(self):
        return f"{self.item_id} {self.language} {self.day}: {self.count}"


class MediaPolicyQuerySet(ScopedQuerySet):
    municipality_path = None


class MediaPolicy(models.Model):
    """How a district handles items of organisations."""

    district = models.OneToOneField(
        "regions.District", on_delete=models.CASCADE, related_name="media_policy"
    )
    moderate_organisation_items = models.BooleanField(
        _("moderate items of organisations"),
        default=True,
        help_text=_("Items published by organisations wait for a coordinator before they appear."),
    )

    objects = MediaPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("media policy")
        verbose_name_plural = _("media policies")

    def __str__(self):
        return str(self.district)
