"""Slips: a printed code with which a person without e-mail follows the listings a coordinator
posted for them, and answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.scoping import ScopedQuerySet

ERASED = "—"  # the name of a slip whose data was erased


class SlipQuerySet(ScopedQuerySet):
    municipality_path = "municipality"
    district_path = "municipality__district"

    def active(self, today=None):
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True, valid_until__gte=today)


class Slip(models.Model):
    """The person is known by the first name or pseudonym the coordinator chose, nothing more;
    a phone number only while they agreed to text messages and a gateway is configured. The
    code is derived from ``secret`` and the site's secret key (``slips.codes``): the database
    alone reveals no code."""

    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="slips",
        verbose_name=_("municipality"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pseudonym = models.CharField(
        _("first name or pseudonym"),
        max_length=40,
        help_text=_("Only what the person wants to be called. It is printed on the slip."),
    )
    language = models.CharField(
        _("language of the slip"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    listings = models.ManyToManyField(
        "exchange.Listing", related_name="slips", verbose_name=_("listings")
    )
    secret = models.CharField(max_length=32, editable=False)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    sms_consent_at = models.DateTimeField(
        _("agreed to text messages"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SlipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("slip")
        verbose_name_plural = _("slips")

    def __str__(self):
        return _("slip %(number)s") % {"number": self.pk}

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and self.valid_until >= today

    def state_display(self) -> str:
        if self.revoked_at is not None:
            return _("Revoked")
        return _("Valid") if self.is_active() else _("Expired")

    @property
    def texts_answers(self) -> bool:
        return bool(self.phone) and self.sms_consent_at is not None


class TextMessage(models.Model):
    """One text message per answer (a message of the other side in a conversation), so a retry
    never sends it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    slip = models.ForeignKey(Slip, on_delete=models.CASCADE, related_name="text_messages")
    message = models.OneToOneField(
        "exchange.Message", on_delete=models.CASCADE, related_name="text_message"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")

    def __str__(self):
        return f"{self.slip_id}: {self.message_id} ({self.status})"
