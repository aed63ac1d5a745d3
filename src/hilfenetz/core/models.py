from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from hilfenetz.core.i18n import VARIANTS
from hilfenetz.core.scoping import ScopedQuerySet


class OutboundMail(models.Model):
    """A mail rendered in its recipient's language and waiting to be delivered.

    Rows stay until delivered, so a failing mail server loses nothing; ``key`` makes queueing
    idempotent (the same event never mails the same person twice). A delivery claims the row
    ("sending") before talking to the mail server, so two deliveries never send it twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # when a delivery took the mail (status "sending"); see core.mail.CLAIM_TIMEOUT
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self):
        return f"{self.to}: {self.subject}"


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued, so every app server can run the scheduler."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self):
        return self.name


def ui_language(language: str | None = None) -> str:
    """The interface language whose translations a text shows: ``language``, or the active one
    (Dari is "prs", not "pr"); a variant (Leichte Sprache) shows its base language's texts."""
    code = language or get_language() or SOURCE_LANGUAGE
    code = VARIANTS.get(code, code)
    return code if code in dict(settings.LANGUAGES) else code.split("-")[0]


SOURCE_LANGUAGE = "de"


def translation_languages() -> list[tuple[str, str]]:
    """The UI languages a German text is translated into (code, name); not a variant, which
    shows its base language's text."""
    return [
        (code, name)
        for code, name in settings.LANGUAGES
        if code != SOURCE_LANGUAGE and code not in VARIANTS
    ]


def check_translations(translations, fields, codes, limits=None) -> None:
    """Refuse translations that are not ``{language code: {field: text}}`` for the given
    language codes and fields, or whose texts are longer than ``limits`` allows."""
    limits = limits or {}
    if (
        not isinstance(translations, dict)
        or not set(translations) <= set(codes)
        or not all(
            isinstance(texts, dict)
            and set(texts) <= set(fields)
            and all(isinstance(text, str) for text in texts.values())
            for texts in translations.values()
        )
    ):
        raise ValidationError(
            {
                "translations": _("Give the texts (%(fields)s) under the language codes %(codes)s.")
                % {"fields": ", ".join(fields), "codes": ", ".join(sorted(codes))}
            }
        )
    for texts in translations.values():
        for field, text in texts.items():
            if field in limits and len(text) > limits[field]:
                raise ValidationError(
                    {
                        "translations": _("At most %(limit)d characters, please.")
                        % {"limit": limits[field]}
                    }
                )


def text_of(german: str, translations: dict, field: str, language: str | None = None) -> str:
    """A field's text in ``language`` (default: the active one), else the German one; for rows
    read as values as well as for instances (:meth:`Translated.text`)."""
    return (translations.get(ui_language(language)) or {}).get(field) or german


class Translated(models.Model):
    """Texts in several languages, stored one way for every model: ``translations`` maps a
    language code to its texts, ``{"en": {"name": "...", "description": "..."}}``.

    Names coordinators give (topics, categories, platforms) are German first: the German texts
    are the model's own ``translated_fields`` and ``translations`` holds the other languages.
    Texts written first in any language (a media item's) say ``german_in_fields = False`` and
    keep every language in ``translations``, German too. Either way :meth:`text` and
    :meth:`texts` read them, :meth:`missing_languages` tells what is still to translate, and
    forms edit them with :class:`hilfenetz.core.forms.TranslationFields`."""

    translated_fields: tuple[str, ...] = ("name",)
    # the label of each field's form field in another language (core.forms.TranslationFields)
    translation_labels = {"name": _("Name (%(language)s)")}
    german_in_fields = True
    # the longest text of a field that only ``translations`` holds (a model field has its own)
    text_limits: dict[str, int] = {}

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Texts by language code, e.g. {"en": {"name": "Language"}}.'),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        codes = [code for code, _name in settings.LANGUAGES if code not in VARIANTS]
        if self.german_in_fields:
            codes.remove(SOURCE_LANGUAGE)
        check_translations(self.translations, self.translated_fields, codes, self.text_limits)

    def all_texts(self) -> dict[str, dict[str, str]]:
        """Every language's texts, German first, then in the order of the UI languages."""
        given = dict(self.translations)
        if self.german_in_fields:
            given[SOURCE_LANGUAGE] = {f: getattr(self, f) for f in self.translated_fields}
        return {
            code: {field: text for field, text in given[code].items() if text}
            for code, _name in settings.LANGUAGES
            if any((given.get(code) or {}).values())
        }

    def text(self, field: str, language: str | None = None) -> str:
        """The text of ``field`` in ``language`` (default: the active one), else German, else
        the first language that has it."""
        if self.german_in_fields:
            return text_of(getattr(self, field), self.translations, field, language)
        texts = self.all_texts()
        for code in (ui_language(language), SOURCE_LANGUAGE, *texts):
            if (texts.get(code) or {}).get(field):
                return texts[code][field]
        return ""

    def texts(self, language: str | None = None) -> SimpleNamespace | None:
        """All texts of one language: ``language``, else German, else the first there is; with
        the ``language`` they are in (for the ``lang`` attribute)."""
        texts = self.all_texts()
        for code in (ui_language(language), SOURCE_LANGUAGE, *texts):
            if code in texts:
                fields = {field: texts[code].get(field, "") for field in self.translated_fields}
                return SimpleNamespace(language=code, **fields)
        return None

    def label(self, language: str | None = None) -> str:
        return self.text("name", language)

    def missing_languages(self) -> list[str]:
        """The UI languages lacking a text that the first language (German, where there is
        German) has."""
        texts = self.all_texts()
        if not texts:
            return []
        source = next(iter(texts.values()))
        return [
            code
            for code, _name in settings.LANGUAGES
            if code not in VARIANTS and any(field not in texts.get(code, {}) for field in source)
        ]


class Topic(Translated):
    """A subject that directory entries, network groups and media share."""

    name = models.CharField(_("name (German)"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.label()


class AuditEntryQuerySet(ScopedQuerySet):
    """The scope is stored on each entry (see :func:`hilfenetz.core.audit.record`), so the
    history is scoped without joining the objects it speaks of."""

    def for_object(self, obj):
        """The timeline of ``obj``, newest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).select_related("actor")


class AuditEntry(models.Model):
    """Who did what to which object, and when: the one history of every app."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(_("entry"), max_length=200)
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self):
        return f"{self.object_repr}: {self.action}"

    @property
    def action_label(self) -> str:
        from hilfenetz.core.audit import action_label

        return action_label(self.action)


class FailedTask(DBTaskResult):
    """A background task that failed and used up its attempts (core/task_retries.py), as the
    administrator sees it in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")


class Installation(models.Model):
    """The one row that names this installation. Its key is also written to the upload folder
    (core/installation.py), so that a server whose upload folder is not the shared one notices
    before it serves or stores a file."""

    key = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
