"""The directory: coordination offices and their contact persons, organisation profiles
(topics, how to reach them) and the district's competence teams, with freshness and history."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.models import Topic
from hilfenetz.core.scoping import ScopedQuerySet, coordinator_scope
from hilfenetz.regions.models import District, Municipality


class Verifiable(models.Model):
    """Something whose correctness a coordinator confirms from time to time."""

    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def verification_due(self, interval_days: int) -> bool:
        return self.verified_at is None or self.verified_at < timezone.now() - timedelta(
            days=interval_days
        )


def verification_intervals() -> dict[int, int]:
    """Each district's verification interval in days, by district."""
    return dict(District.objects.values_list("id", "verification_interval_days"))


def overdue_q(district_path: str, now=None, intervals: dict | None = None) -> Q:
    """Rows never verified or not verified within their district's interval (``intervals``:
    those of ``verification_intervals``, read once for several lists)."""
    now = now or timezone.now()
    if intervals is None:
        intervals = verification_intervals()
    q = Q(verified_at__isnull=True)
    for district_id, days in intervals.items():
        q |= Q(**{f"{district_path}_id": district_id}, verified_at__lt=now - timedelta(days=days))
    return q


class OfficeKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal coordination office")
    DISTRICT = "district", _("District office")


class OfficeQuerySet(ScopedQuerySet):
    municipality_path = None

    def active(self):
        return self.filter(is_active=True)

    def coordinated_q(self, user):
        """Offices of the districts the user coordinates, and offices serving one of the
        municipalities they coordinate."""
        scope = coordinator_scope(user)
        if scope.everything or scope.is_empty:
            return scope.q()
        serving = Office.municipalities.through.objects.filter(
            municipality_id__in=scope.municipality_ids
        ).values("office_id")
        return Q(district_id__in=scope.district_ids) | Q(pk__in=serving)

    def serving(self, municipality):
        return self.filter(municipalities=municipality)

    def with_details(self):
        """With the municipalities served and the public contact persons (``public_contacts``;
        a list: a related manager per office would cost more than the rest of a card)."""
        return self.select_related("district").prefetch_related(
            "municipalities",
            models.Prefetch(
                "contacts", queryset=ContactPerson.objects.public(), to_attr="public_contacts"
            ),
        )

    def overdue(self, now=None, intervals=None):
        return self.filter(overdue_q("district", now, intervals))


class Office(Verifiable):
    """A coordination office (Kommunale Koordinationsstelle) or one of the district's own."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="offices", verbose_name=_("district")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=OfficeKind.choices, default=OfficeKind.MUNICIPAL
    )
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="offices",
        blank=True,
        verbose_name=_("municipalities served"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("Separated by commas, e.g. German, English, Arabic."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("coordination office")
        verbose_name_plural = _("coordination offices")

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (self.street, place) if p)

    @cached_property
    def public_contacts(self) -> list:
        """The contact persons everyone sees. ``with_details`` fetches them for many offices at
        once; read here only where a page needs them, so that a kept office card costs no
        query."""
        return list(self.contacts.public())

    @property
    def municipality_names(self) -> str:
        return ", ".join(m.name for m in self.municipalities.all())

    def scope_municipality_ids(self) -> set[int]:
        return {m.pk for m in self.municipalities.all()}

    def scope_keys(self):
        ids = sorted(self.scope_municipality_ids())
        return (ids[0] if len(ids) == 1 else None), self.district_id


class ContactPersonQuerySet(ScopedQuerySet):
    scope_parent = "office"

    def public(self):
        """Contacts that may be shown to everyone: an official function and consent."""
        return self.filter(is_official_function=True, consent_given=True)


class ContactPerson(models.Model):
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=120)
    function = models.CharField(_("function"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_official_function = models.BooleanField(
        _("official function"),
        default=True,
        help_text=_("Only people in an official function are listed publicly."),
    )
    consent_given = models.BooleanField(
        _("consent to publication"),
        default=False,
        help_text=_("The person agreed that their name and contact details are published."),
    )
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.is_official_function and self.consent_given


class OrganisationProfileQuerySet(ScopedQuerySet):
    municipality_path = "organisation__municipality"
    district_path = "organisation__district"

    def overdue(self, now=None, intervals=None):
        return self.filter(overdue_q("organisation__district", now, intervals))


class OrganisationProfile(Verifiable):
    """What the directory adds to an organisation: topics and how to reach it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="directory_profile"
    )
    topics = models.ManyToManyField(
        Topic, through="OrganisationTopic", blank=True, verbose_name=_("topics")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    how_to_reach = models.TextField(
        _("how to reach us"),
        blank=True,
        help_text=_("Meeting place and times, or how to get in touch."),
    )

    objects = OrganisationProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation profile")
        verbose_name_plural = _("organisation profiles")

    def __str__(self):
        return str(self.organisation)


class OrganisationTopic(models.Model):
    profile = models.ForeignKey(OrganisationProfile, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "topic"], name="organisation_topic_once")
        ]

    def __str__(self):
        return f"{self.profile_id}: {self.topic_id}"


class TeamArea(models.TextChoices):
    SOCIAL_CARE = "social_care", _("Social care in the community")
    HOUSING = "housing", _("Housing and follow-up accommodation")
    ENGAGEMENT = "engagement", _("Engagement and volunteering")
    EDUCATION = "education", _("Upbringing and education")
    WORK = "work", _("Training and work")
    HEALTH = "health", _("Medical care and psychosocial support")


class CompetenceTeamQuerySet(ScopedQuerySet):
    municipality_path = None

    def of_coordinated_districts(self, user):
        """Teams of every district the user coordinates, or coordinates a municipality of
        (their history is shown to all of the district's coordinators)."""
        return self.filter(district__in=District.objects.coordinated_by(user))

    def overdue(self, now=None, intervals=None):
        return self.filter(overdue_q("district", now, intervals))


class CompetenceTeam(Verifiable):
    """A competence team of the Kreisarbeitsgemeinschaft (KAG) „Netzwerk Flüchtlinge“."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="competence_teams"
    )
    area = models.CharField(_("area of work"), max_length=20, choices=TeamArea.choices)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    objects = CompetenceTeamQuerySet.as_manager()

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(fields=["district", "area"], name="competence_team_once")
        ]
        verbose_name = _("competence team")
        verbose_name_plural = _("competence teams")

    def __str__(self):
        return self.get_area_display()


class TeamMemberQuerySet(ScopedQuerySet):
    scope_parent = "team"

    def public(self):
        return self.filter(consent_given=True)


class TeamMember(models.Model):
    team = models.ForeignKey(CompetenceTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=120)
    affiliation = models.CharField(_("organisation or function"), max_length=160, blank=True)
    consent_given = models.BooleanField(_("consent to publication"), default=False)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("stopped")
    UNDONE = "undone", _("undone")


class ImportRunQuerySet(ScopedQuerySet):
    municipality_path = None


class ImportRun(models.Model):
    """An import of organisations and working groups, applied in the background batch by batch,
    which remembers exactly what it created and what each changed row was before, so that it
    can be undone."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    duplicates = models.CharField(max_length=10)
    #: the rows as previewed; emptied once applied
    rows = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    created_ids = models.JSONField(default=list)
    #: ``{organisation id: {"organisation": {field: old}, "profile": {field: old} or None}}``
    previous = models.JSONField(default=dict)
    skipped = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.district_id}: {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def can_be_undone(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED) and bool(
            self.created_ids or self.previous
        )
