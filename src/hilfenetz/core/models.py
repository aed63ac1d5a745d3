from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

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
    """The two-letter UI language: ``language``, or the active one."""
    return (language or get_language() or "de")[:2]


def check_translations(translations, value_type: type = str) -> None:
    """Refuse translations that are not a map of UI language codes to ``value_type``."""
    known = {code for code, _name in settings.LANGUAGES}
    if (
        not isinstance(translations, dict)
        or not set(translations) <= known
        or not all(isinstance(value, value_type) for value in translations.values())
    ):
        raise ValidationError(
            {
                "translations": _("Use the language codes %(codes)s.")
                % {"codes": ", ".join(sorted(known))}
            }
        )


class NamedInLanguages(models.Model):
    """A name given by coordinators: ``name`` is German, ``translations`` maps the other UI
    languages to names; :meth:`label` picks the current language's."""

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Names in other languages, e.g. {"en": "Language", "ar": "..."}.'),
    )

    class Meta:
        abstract = True

    def clean(self):
        check_translations(self.translations)

    def label(self, language: str | None = None) -> str:
        return self.label_of(self.name, self.translations, language)

    @staticmethod
    def label_of(name: str, translations: dict, language: str | None = None) -> str:
        """The label of a row read as values (no model instance)."""
        return translations.get(ui_language(language)) or name


class Topic(NamedInLanguages):
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
