"""The help exchange: needs and offers, the answers to them and their moderation."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hilfenetz.core import moderation, page_cache, search
from hilfenetz.core.models import Translated
from hilfenetz.core.predicates import rule_q
from hilfenetz.core.scoping import ScopedQuerySet, coordinator_scope
from hilfenetz.regions.models import Municipality


class CategoryQuerySet(ScopedQuerySet):
    municipality_path = None
    district_path = "district"

    def for_district(self, district):
        return self.filter(district=district)

    def active(self):
        return self.filter(is_active=True)


class Category(Translated):
    """A kind of help, of one district (its coordinators edit and translate it)."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("district"),
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name (German)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "slug"], name="category_unique_slug_per_district"
            )
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.label()

    def clean(self):
        super().clean()
        # The constraint is skipped by forms that do not edit the district (the admin's
        # change form); check it here so a clash is a form error, not a database error.
        if (
            self.district_id
            and self.slug
            and Category.objects.filter(district_id=self.district_id, slug=self.slug)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"slug": _("This district has a category with this slug already.")}
            )


class Kind(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    FULFILLED = "fulfilled", _("Fulfilled")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    BLOCKED = "blocked", _("Blocked")


OPEN_STATUSES = (Status.DRAFT, Status.PENDING, Status.PUBLISHED)
# Ended by the author, by fulfilment or by time (not blocked): those who answered may still
# follow the link from their conversation and see how it ended.
CLOSED_STATUSES = (Status.FULFILLED, Status.EXPIRED, Status.WITHDRAWN)
# Beyond these nobody means what they typed (a date in year 9999, a million prams).
MAX_QUANTITY = 100_000
MAX_VALIDITY = timedelta(days=366)
QUANTITY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]


def took_part_q(user):
    """Closed listings ``user`` answered, pledged to or promised to drive for."""
    answered = Conversation.objects.filter(helper=user).values("listing_id")
    pledged = Pledge.objects.filter(helper=user).values("listing_id")
    drove = Ride.objects.filter(driver=user).values("pledge__listing_id")
    return Q(status__in=CLOSED_STATUSES) & (
        Q(pk__in=answered) | Q(pk__in=pledged) | Q(pk__in=drove)
    )


class ListingQuerySet(ScopedQuerySet):
    municipality_path = "municipality"
    district_path = "municipality__district"

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    # District and area as a list of municipalities, not a join: the database then reads the
    # newest rows through the (status, published) index instead of sorting every match.
    def in_district(self, district):
        return self.filter(municipality__in=Municipality.objects.filter(district=district))

    def in_area(self, area):
        return self.filter(municipality__in=Municipality.objects.filter(area=area))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        _with_area(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def visible_to(self, user):
        """The rows of the rule ``exchange.view_listing``: published listings, one's own and
        one's organisations', those one took part in, and all of the coordinated scope."""
        return self.filter(rule_q("exchange.view_listing", user or AnonymousUser(), self.model))

    def for_list(self):
        """The columns a listing card shows (``listing_cards``), nothing more."""
        return self.select_related("category", "municipality").only(
            "kind",
            "category__name",
            "category__translations",
            "category__slug",
            "municipality__name",
            "municipality__slug",
            "title",
            "language",
            "status",
            "remaining",
            "unit",
            "published_at",
            "created_at",
        )

    def for_display(self):
        """Listings with their category, place (area, district) and organisation, as pages
        show them. While the process keeps rows (``page_cache.keeping``) those come from its
        kept rows, not from a join: PostgreSQL spent 1.2 of the listing page's query's 1.4 ms
        planning the six tables' join. The embedding (1.5 KB a row) is for matching only; pages
        never show it."""
        queryset = self.defer("embedding")
        if not page_cache.keeping():
            return queryset.select_related(*SHOWN_WITH)
        queryset._iterable_class = _WithKeptRows
        return queryset


# What pages show of a listing besides its own row (paths as for ``select_related``).
SHOWN_WITH = ("category", "municipality__area", "municipality__district", "organisation")


class _WithKeptRows(ModelIterable):
    """Listings with the rows of ``SHOWN_WITH`` set from the kept rows, for all at once."""

    def __iter__(self):
        listings = list(super().__iter__())
        relations = {}  # "municipality": ["area", "district"]
        for path in SHOWN_WITH:
            field, _, rest = path.partition("__")
            relations.setdefault(field, []).extend([rest] if rest else [])
        for field, related in relations.items():
            model = Listing._meta.get_field(field).related_model
            rows = page_cache.kept_rows(
                model, [getattr(listing, f"{field}_id") for listing in listings], *related
            )
            for listing in listings:
                if (row := rows.get(getattr(listing, f"{field}_id"))) is not None:
                    setattr(listing, field, row)
        yield from listings


class ConsentRecord(models.Model):
    """A help-seeker without an account agreed that a coordinator posts for them.

    ``agreement`` holds personal data of the person helped (often a name and phone number). It
    is erased ``settings.CONSENT_RETENTION_DAYS`` after the listing closed (a daily job) or with
    the listing's personal data; the record stays, so the listing still counts as posted on
    someone's behalf."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    agreement = models.TextField(
        _("what was agreed"),
        help_text=_("What the person agreed to, and how (in person, by phone, in writing)."),
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.recorded_at:%Y-%m-%d} ({self.recorded_by})"


@search.indexed("title", "description", facets=("category_id", "municipality_id", "area_id"))
class Listing(models.Model):
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="listings", verbose_name=_("category")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("municipality"),
    )
    # The municipality's, kept on the row (save(), bulk_create(), services.follow_area): the
    # search index's facet of an area is then one list of rows, not the merge of its dozen
    # municipalities' (PostgreSQL's generated vector reads only its own row). Never filtered
    # by itself, so without an index of its own.
    area = models.ForeignKey(
        "regions.Area",
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
        editable=False,
        db_index=False,
        verbose_name=_("area"),
    )
    language = models.CharField(
        _("language of the text"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    quantity = models.PositiveIntegerField(
        _("quantity"), null=True, blank=True, validators=QUANTITY_VALIDATORS
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    remaining = models.PositiveIntegerField(_("remaining quantity"), null=True, blank=True)
    transport_needed = models.BooleanField(_("transport needed"), default=False)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("organisation"),
    )
    consent = models.OneToOneField(
        ConsentRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listing",
        verbose_name=_("consent (posted on behalf of someone)"),
    )
    blocked_reason = models.TextField(_("reason for blocking"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    embedding = models.BinaryField(
        null=True, blank=True, editable=False, help_text="float32 text embedding (similarity.py)"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        # Each list filter + the newest-first order is served by an index: the page reads its
        # 20 rows in order instead of sorting every match. The filtered columns that do not
        # lead an index close it (kind, category, municipality for area and district), so a
        # list's walk over its first 1,000 matches (core.pagination.Window) reads the index
        # alone, never a row: its cost does not grow with the table.
        indexes = [
            models.Index(fields=["status", "valid_until"], name="listing_status_valid"),
            models.Index(
                fields=["status", "-published_at", "-id", "kind", "municipality"],
                name="listing_status_published",
            ),
            models.Index(
                fields=["status", "category", "-published_at", "-id", "kind", "municipality"],
                name="listing_category_published",
            ),
            models.Index(
                fields=["status", "municipality", "-published_at", "-id", "category", "kind"],
                name="listing_place_published",
            ),
            # Category and kind together, the most common narrowing: a deep page walks only
            # the matching rows, in order.
            models.Index(
                fields=["status", "category", "kind", "-published_at", "-id", "municipality"],
                name="listing_category_kind_pub",
            ),
            models.Index(fields=["updated_at"], name="listing_updated"),  # similarity.VectorIndex
            # Matching reads listings without a vector by full text (services.matches). The
            # status is a column, not part of the condition: SQLite uses a partial index only
            # if the query names its condition's values, and Django sends the status as a
            # parameter. The (empty) embedding is a column too, so SQLite's planner sees one
            # more match here than in listing_category_kind_pub and reads this one.
            models.Index(
                fields=["category", "status", "kind", "embedding", "-published_at", "-id"],
                condition=Q(embedding__isnull=True),
                name="listing_without_vector",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__isnull=True) | Q(quantity__isnull=False),
                name="listing_remaining_needs_quantity",
            ),
            models.CheckConstraint(
                condition=Q(remaining__isnull=True) | Q(remaining__lte=models.F("quantity")),
                name="listing_remaining_at_most_quantity",
            ),
        ]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")

    def __str__(self):
        return self.title

    def save(self, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "municipality" in fields:
            _with_area([self])
            if fields is not None:
                kwargs["update_fields"] = {*fields, "area"}
        super().save(**kwargs)

    def clean(self):
        if self.valid_until is not None and self.status in OPEN_STATUSES:
            today = timezone.localdate()
            if self.valid_until < today:
                raise ValidationError({"valid_until": _("Please choose a date from today on.")})
            if self.valid_until > today + MAX_VALIDITY:
                raise ValidationError(
                    {
                        "valid_until": _(
                            "Please choose a date within a year; you can extend the listing later."
                        )
                    }
                )
        if (
            self.category_id
            and self.municipality_id
            and self.category.district_id != self.municipality.district_id
        ):
            raise ValidationError(
                {
                    "category": _(
                        "This category belongs to another district. Please choose a category "
                        "of the district of %(municipality)s."
                    )
                    % {"municipality": self.municipality.name}
                }
            )

    @property
    def on_behalf(self) -> bool:
        return self.consent_id is not None

    @property
    def is_open(self) -> bool:
        return self.status == Status.PUBLISHED

    def public_name(self) -> str:
        """The only name the public sees: the organisation's. A person's name is never public
        (a help-seeker's is sensitive data); see the rule ``exchange.see_author``."""
        if self.on_behalf or not self.organisation_id:
            return ""
        return self.organisation.name


MAX_PHOTOS = 4


def _with_area(listings) -> None:
    """Each listing's area is its municipality's: from the municipality loaded with it, else
    read for all of them at once."""
    loaded = Listing.municipality.is_cached
    missing = {x.municipality_id for x in listings if not loaded(x) and x.municipality_id}
    areas = (
        dict(Municipality.objects.filter(pk__in=missing).values_list("pk", "area_id"))
        if missing
        else {}
    )
    for listing in listings:
        if loaded(listing):
            listing.area_id = listing.municipality.area_id
        elif listing.municipality_id:
            listing.area_id = areas[listing.municipality_id]


class ListingPartQuerySet(ScopedQuerySet):
    """Photos, events, pledges and reports are in the scope of their listing."""

    scope_parent = "listing"

    def coordinated_q(self, user):
        # Through the join to the listing, not "listing in (the listings in scope)": that list
        # holds every listing of a municipality, read in full before the first row is found.
        return coordinator_scope(user).q(*self._paths())


class ListingPhoto(models.Model):
    """A photo of a listing, stored re-encoded without EXIF data (see core/images.py)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to="exchange/photos/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ListingPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text


class ListingEvent(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    note = models.TextField(blank=True)

    objects = ListingPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("listing event")
        verbose_name_plural = _("listing events")

    def __str__(self):
        return f"{self.listing_id}: {self.from_status} -> {self.to_status}"


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", _("Promised")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")


class Pledge(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="pledges")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledges"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=QUANTITY_VALIDATORS)
    status = models.CharField(
        max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ListingPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "helper"],
                condition=Q(status=PledgeStatus.ACTIVE),
                name="pledge_one_active_per_helper",
            )
        ]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self):
        return f"{self.helper} -> {self.listing} ({self.quantity})"


class Ride(models.Model):
    """A driver's promise to bring what a pledge gives to the person who posted the need."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="rides")
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_rides"
    )
    status = models.CharField(
        max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge"],
                condition=Q(status=PledgeStatus.ACTIVE),
                name="ride_one_active_per_pledge",
            )
        ]
        verbose_name = _("ride")
        verbose_name_plural = _("rides")

    def __str__(self):
        return f"{self.driver} -> {self.pledge}"


class Conversation(models.Model):
    """The private exchange between a listing's author and one person answering it."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="conversations")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_conversations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Contact details are shared only when both sides agreed (each side's own consent).
    author_shares_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    helper_shares_contact_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "helper"], name="conversation_unique")
        ]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return f"{self.listing} / {self.helper}"

    def participant_ids(self) -> set[int]:
        return {self.listing.author_id, self.helper_id}

    def other_side(self, user):
        return self.helper if user.pk == self.listing.author_id else self.listing.author

    def shares_contact(self, user) -> bool:
        """Whether ``user`` (one side) agreed to share their contact details."""
        if user.pk == self.listing.author_id:
            return self.author_shares_contact_at is not None
        return user.pk == self.helper_id and self.helper_shares_contact_at is not None

    @property
    def contacts_shared(self) -> bool:
        return (
            self.author_shares_contact_at is not None and self.helper_shares_contact_at is not None
        )


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_messages"
    )
    body = models.TextField(_("message"), max_length=4000)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="de")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.body[:40]


class ReportQuerySet(moderation.ReportQuerySet, ListingPartQuerySet):
    """In the scope of their listing; ``open()`` comes with the shared report base."""


class Report(moderation.Report):
    """Someone reported a listing or a message in one of its conversations."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )

    objects = ReportQuerySet.as_manager()

    class Meta(moderation.Report.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            # the moderation queue reads the open reports in order, however many were closed
            models.Index(
                fields=["created_at"],
                condition=Q(resolved_at__isnull=True),
                name="exchange_report_open",
            )
        ]

    def __str__(self):
        return f"{self.listing}: {self.reason[:40]}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    query = models.CharField(_("search words"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("category")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    area = models.ForeignKey(
        "regions.Area", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("area")
    )
    frequency = models.CharField(
        _("alert"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY
    )
    # Personal data, shown to nobody else: only alerts use it (alerts.matching_drivers).
    drives = models.BooleanField(
        _("I can give rides or drive transports"),
        default=False,
        help_text=_(
            "Tell me about needs in this place that need transport, whatever they are. "
            "Choose the municipality or area you can drive in."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # One word of the query (or ""): a new listing looks up only the searches keyed by one of
    # its words or by none (alerts.matching_saved_searches).
    term_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["frequency", "term_key"], name="savedsearch_term_key")]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        if self.drives:
            return _("Rides in %(place)s") % {"place": self.municipality or self.area}
        return self.query or str(self.category or self.kind or "*")

    def save(self, *args, **kwargs):
        self.term_key = search.Terms.parse(self.query).key[:100]
        if kwargs.get("update_fields") is not None and "query" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "term_key"}
        super().save(*args, **kwargs)

    def clean(self):
        place = self.municipality or self.area
        if self.drives and place is None:
            raise ValidationError(
                {"area": _("Please choose the municipality or area you can drive in.")}
            )
        if self.drives and (self.query or self.kind or self.category_id):
            raise ValidationError(
                _(
                    "A ride alert covers every need with transport needed in its place; please "
                    "leave the search words, kind and category empty."
                )
            )
        if (
            self.category_id
            and place is not None
            and self.category.district_id != place.district_id
        ):
            raise ValidationError(
                {"category": _("This category belongs to another district than the place.")}
            )
