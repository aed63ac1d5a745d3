"""The networking platform: thematic platforms of a district, their exchange meetings (with
invitations, RSVPs and minutes) and the board where followers talk between meetings."""

import secrets
import uuid
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hilfenetz.core import moderation
from hilfenetz.core.models import Translated
from hilfenetz.core.predicates import rule_q
from hilfenetz.core.scoping import ScopedQuerySet


class PlatformQuerySet(ScopedQuerySet):
    municipality_path = None
    district_path = "district"

    def active(self):
        return self.filter(is_active=True)


class Platform(Translated):
    """A thematic platform of one district: its name and purpose in German and translated."""

    translated_fields = ("name", "description")
    translation_labels = {
        "name": _("Name (%(language)s)"),
        "description": _("Purpose (%(language)s)"),
    }

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.CASCADE,
        related_name="platforms",
        verbose_name=_("district"),
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name (German)"), max_length=120)
    description = models.TextField(_("purpose (German)"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "slug"], name="platform_unique_slug_per_district"
            )
        ]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.label()

    def purpose(self, language=None) -> str:
        return self.text("description", language)


class Follow(models.Model):
    """A person or an organisation follows a platform (is invited to its meetings)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="platform_follows",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="platform_follows",
    )
    wants_digest = models.BooleanField(_("daily mail of new threads"), default=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(organisation__isnull=True),
                name="follow_person_or_organisation",
            ),
            models.UniqueConstraint(fields=["platform", "user"], name="follow_once_per_person"),
            models.UniqueConstraint(
                fields=["platform", "organisation"], name="follow_once_per_organisation"
            ),
        ]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self):
        return f"{self.user or self.organisation} → {self.platform}"


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT_BACK = "sent_back", _("Sent back")
    AGREED = "agreed", _("Agreed")
    INVITED = "invited", _("Invitations sent")
    HELD = "held", _("Held")
    MINUTES = "minutes", _("Minutes published")
    CANCELLED = "cancelled", _("Cancelled")


#: Meetings whose invitations went out: the invited see them, the calendar feeds show them.
ANNOUNCED = (
    MeetingStatus.INVITED,
    MeetingStatus.HELD,
    MeetingStatus.MINUTES,
    MeetingStatus.CANCELLED,
)
#: Still to happen: these can be rescheduled or cancelled.
UPCOMING = (
    MeetingStatus.PROPOSED,
    MeetingStatus.SENT_BACK,
    MeetingStatus.AGREED,
    MeetingStatus.INVITED,
)


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Exchange meeting")
    TRAINING = "training", _("Training")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


def validate_time_zone(value):
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone."))


def default_languages():
    return ["de"]


class MeetingQuerySet(ScopedQuerySet):
    # A meeting belongs to the municipality that hosts it (its organisers' municipality).
    municipality_path = "municipality"
    district_path = "platform__district"

    def announced(self):
        return self.filter(status__in=ANNOUNCED)

    def visible_to(self, user):
        """The rows of the rule ``network.view_meeting``: announced meetings for everyone;
        every meeting to its organisers and to the coordinators of its scope."""
        return self.filter(rule_q("network.view_meeting", user or AnonymousUser(), self.model))

    def for_display(self):
        return self.select_related("platform", "municipality__area")

    def awaiting_agreement(self, user):
        """Proposed meetings ``user`` agrees to or sends back (the rows of the rule
        ``network.review_meeting``): the coordinators of the whole district, administrators."""
        return self.filter(status=MeetingStatus.PROPOSED).filter(
            rule_q("network.review_meeting", user, self.model)
        )


class Meeting(models.Model):
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("platform")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        verbose_name=_("hosting municipality"),
    )
    municipalities = models.ManyToManyField(
        "regions.Municipality",
        related_name="network_meetings",
        verbose_name=_("municipalities invited"),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_meetings", verbose_name=_("organisers")
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=MeetingKind.choices,
        default=MeetingKind.MEETING,
        help_text=_("Trainings record who attended; volunteers can download a confirmation."),
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    format = models.CharField(
        _("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    address = models.TextField(_("address"), max_length=500, blank=True)
    accessibility = models.TextField(_("accessibility"), max_length=1000, blank=True)
    online_link = models.URLField(
        _("link to the online meeting"),
        blank=True,
        help_text=_("Shown only to people who registered."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    meeting_languages = models.JSONField(
        _("languages of the meeting"), default=default_languages, blank=True
    )
    interpreting = models.BooleanField(_("interpreting offered"), default=False)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before)"), default=3, help_text=_("0: no reminder.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PROPOSED,
        db_index=True,
    )
    status_note = models.TextField(_("comment"), blank=True)
    # RFC 5545 SEQUENCE: raised whenever time, place or status change after invitations.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not self.address:
            errors["address"] = _("Please give the address.")
        if self.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID) and not self.online_link:
            errors["online_link"] = _("Please give the link to the online meeting.")
        if (
            self.platform_id
            and self.municipality_id
            and self.platform.district_id != self.municipality.district_id
        ):
            errors["municipality"] = _("The municipality must belong to the platform's district.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING

    @property
    def is_training(self) -> bool:
        return self.kind == MeetingKind.TRAINING

    @property
    def is_announced(self) -> bool:
        return self.status in ANNOUNCED

    def local_start(self):
        from zoneinfo import ZoneInfo

        return timezone.localtime(self.starts_at, ZoneInfo(self.time_zone))

    def local_end(self):
        from zoneinfo import ZoneInfo

        return timezone.localtime(self.ends_at, ZoneInfo(self.time_zone))


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("item"), max_length=200)
    expert = models.ForeignKey(
        "Expert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("expert"),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class ExpertStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Expert(models.Model):
    """An expert invited to a meeting, with or without an account. Named on the meeting page
    only with their consent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="experts")
    name = models.CharField(_("name"), max_length=120)
    field = models.CharField(_("field"), max_length=160)
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(
        _("language for mails"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    status = models.CharField(
        max_length=10, choices=ExpertStatus.choices, default=ExpertStatus.INVITED
    )
    consents_to_publication = models.BooleanField(_("may be named on the page"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="expert_once_per_meeting")
        ]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return f"{self.name} ({self.field})"

    @property
    def is_public(self) -> bool:
        return self.status == ExpertStatus.CONFIRMED and self.consents_to_publication


class InvitationReason(models.TextChoices):
    FOLLOWER = "follower", _("Follows the platform")
    GROUP = "group", _("Working group of an invited municipality")
    OFFICE = "office", _("Coordination office of an invited municipality")
    ORGANISATION = "organisation", _("Organisation following the platform")
    REGISTERED = "registered", _("Registered on the page")


class Answer(models.TextChoices):
    NONE = "", _("No answer yet")
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class InvitationQuerySet(ScopedQuerySet):
    scope_parent = "meeting"

    def attending(self):
        return self.filter(answer=Answer.YES, waiting_since__isnull=True)

    def waiting(self):
        return self.filter(answer=Answer.YES, waiting_since__isnull=False).order_by(
            "waiting_since", "pk"
        )


class Invitation(models.Model):
    """One person (or the contact address of a working group, an organisation or a coordination
    office) invited to one meeting, with their answer. A ``yes`` beyond the places waits (``waiting_since``) and moves up in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    office = models.ForeignKey(
        "directory.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="de")
    reason = models.CharField(_("why invited"), max_length=12, choices=InvitationReason.choices)
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices, blank=True)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    answered_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Recorded by the organisers after the meeting; confirmations list only these.
    attended = models.BooleanField(_("attended"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="invitation_once_per_address"
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="invitation_at_least_one"),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.meeting}"

    @property
    def is_attending(self) -> bool:
        return self.answer == Answer.YES and self.waiting_since is None

    @property
    def is_waiting(self) -> bool:
        return self.answer == Answer.YES and self.waiting_since is not None


def validate_pdf(upload):
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Please upload a PDF file."))


class Minutes(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    body = models.TextField(
        _("minutes"),
        max_length=20000,
        blank=True,
        help_text=_("Plain text. Lines starting with # are headings, lines with - are lists."),
    )
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)
    tasks = models.TextField(
        _("follow-up tasks"), max_length=4000, blank=True, help_text=_("One task per line.")
    )
    pdf = models.FileField(
        _("minutes as PDF"),
        upload_to="network/minutes/%Y/",
        blank=True,
        validators=[validate_pdf],
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)


class ThreadKind(models.TextChoices):
    QUESTION = "question", _("Question")
    EXPERIENCE = "experience", _("Experience")
    TIP = "tip", _("Tip")


class ThreadQuerySet(ScopedQuerySet):
    municipality_path = None
    district_path = "platform__district"

    def shown(self):
        return self.filter(hidden_at__isnull=True)


class Thread(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_threads"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ThreadKind.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=6000)
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self):
        return self.title


class Reply(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_replies"
    )
    body = models.TextField(_("reply"), max_length=6000)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="de")
    is_helpful = models.BooleanField(_("helpful"), default=False)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return self.body[:40]


class BoardReportQuerySet(moderation.ReportQuerySet):
    scope_parent = "thread"


class BoardReport(moderation.Report):
    """Someone reported a thread or a reply; handled in the help exchange's moderation queue."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )

    objects = BoardReportQuerySet.as_manager()

    class Meta(moderation.Report.Meta):
        verbose_name = _("board report")
        verbose_name_plural = _("board reports")

    def __str__(self):
        return f"{self.thread}: {self.reason[:40]}"

    @property
    def post(self):
        return self.reply or self.thread


def _feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's "my meetings" calendar; renewing it revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.user)

    def renew(self):
        self.token = _feed_token()
        self.save(update_fields=["token", "created_at"])
