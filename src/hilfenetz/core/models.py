from django.db import models
from django.utils.translation import gettext_lazy as _


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
