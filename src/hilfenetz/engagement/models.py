"""How a volunteer starts: the welcome after sign-up, the acknowledged BE standards and the\nextended certificate of conduct a coordinator saw."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.scoping import ScopedQuerySet


class Intent(models.TextChoices):
    HELP = "help", _("I want to help")
    SEEK = "seek", _("I am looking for help")
    ORGANISATION = "organisation", _("I act for an organisation")


#: The answers of people who work as volunteers (and so read the district's standards).
VOLUNTEER_INTENTS = (Intent.HELP, Intent.ORGANISATION)


class Onboarding(models.Model):
    """What a person answered in the welcome, kept minimal: what they want to do and whether
    the welcome is over. Their municipality is their profile's, the platforms their follows."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding"
    )
    intent = models.CharField(_("what you want to do"), max_length=12, choices=Intent.choices)
    place_chosen = models.BooleanField(default=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    skipped_at = models.DateTimeField(_("skipped"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("welcome")
        verbose_name_plural = _("welcomes")

    def __str__(self):
        return str(self.user)

    @property
    def is_volunteer(self) -> bool:
        return self.intent in VOLUNTEER_INTENTS

    @property
    def is_over(self) -> bool:
        return self.finished_at is not None or self.skipped_at is not None


class StandardsAcknowledgement(models.Model):
    """A volunteer read and acknowledged one version of the district's BE standards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="standards_acknowledgements",
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    # The document may be replaced or withdrawn later; what was read stays recorded.
    item = models.ForeignKey(
        "media.MediaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.CharField(_("version"), max_length=40)
    version_date = models.DateField(_("version of"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district", "version"], name="standards_acknowledged_once"
            )
        ]
        verbose_name = _("acknowledgement of the standards")
        verbose_name_plural = _("acknowledgements of the standards")

    def __str__(self):
        return f"{self.user} · {self.version}"


class ConductCertificateQuerySet(ScopedQuerySet):
    municipality_path = "municipality"
    district_path = "municipality__district"

    def latest_per_person(self):
        """Each person's newest record only (an older one is superseded by it)."""
        newer = ConductCertificate.objects.filter(
            user=OuterRef("user"), seen_on__gt=OuterRef("seen_on")
        )
        return self.exclude(Exists(newer))


class ConductCertificate(models.Model):
    """A coordinator saw a volunteer's extended certificate of conduct (erweitertes
    Führungszeugnis, § 72a SGB VIII with § 30a BZRG), needed for work with children and young
    people. Only the date seen and by whom are recorded, never a copy or its content; it is
    due again five years later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conduct_certificates",
        verbose_name=_("volunteer"),
    )
    # The volunteer's municipality when it was recorded: whose coordinators see it.
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    seen_on = models.DateField(_("seen on"))
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("seen by"),
    )
    due_on = models.DateField(_("due again on"))
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConductCertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_on", "-pk"]
        verbose_name = _("certificate of conduct seen")
        verbose_name_plural = _("certificates of conduct seen")

    def __str__(self):
        # no name: the history keeps this text after the person is erased
        return f"#{self.pk} · {self.seen_on:%Y-%m-%d}"
