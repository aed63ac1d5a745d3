"""The figures the district's steering group reads each quarter: per month, for a district, an
area or a municipality, what happened in the help exchange, among volunteers, in the meetings
of the networking platform and in the media centre.

Each figure is a count (or the median time to a first answer) and never names a person. The
numbers here are exact; what is shown of them (counts from 1 to 4 as "fewer than 5") is
decided by :func:`shown`, for the page, the CSV and the PDF alike. :func:`compute` reads
everything with a fixed number of aggregate queries, however many listings, people, meetings
and downloads there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils import timezone

from hilfenetz.accounts.models import User
from hilfenetz.core.models import text_of
from hilfenetz.core.predicates import allowed, permitted
from hilfenetz.engagement.services import onboarding_counts
from hilfenetz.exchange.models import Conversation, Kind, Listing, ListingEvent, Pledge, Status
from hilfenetz.media.models import DownloadCount, MediaItem
from hilfenetz.network.models import Answer, Meeting, MeetingKind, MeetingStatus
from hilfenetz.regions.models import Municipality

#: Counts below this (but above 0) are shown as "fewer than 5": a figure must not point at a
#: person. A median is shown only when at least this many answers went into it.
SMALL = 5
#: The longest period one page, CSV or PDF covers.
MAX_MONTHS = 12

HELD = (MeetingStatus.HELD, MeetingStatus.MINUTES)
KINDS = (Kind.NEED, Kind.OFFER)
CLOSED = {Status.FULFILLED: "fulfilled", Status.EXPIRED: "expired"}


# --- the period ------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months, from the month of ``first`` to the month of ``last``."""

    first: date
    last: date

    @property
    def months(self) -> list[date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, n) for n in range(count + 1)]

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time()))

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(add_months(self.last, 1), time()))

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}_{self.last:%Y-%m}"


def last_full_quarter(today: date | None = None) -> Period:
    """The quarter before the current one (the steering group meets after each quarter)."""
    today = today or timezone.localdate()
    this_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return Period(add_months(this_quarter, -3), add_months(this_quarter, -1))


def month_key(value) -> str:
    """ "2026-07" for a month's date or (aware) time, in the district's time zone."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


# --- the place -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A district, an area or a municipality the figures are about."""

    level: str
    pk: int
    name: str
    district_name: str

    @property
    def key(self) -> str:
        return f"{self.level}-{self.pk}"

    def narrow(self, queryset):
        """The rows of a scoped queryset in this place (the scope contract's ``in_...``)."""
        return getattr(queryset, f"in_{self.level}")(self.pk)

    def municipalities(self):
        field = "pk" if self.level == "municipality" else f"{self.level}_id"
        return Municipality.objects.filter(**{field: self.pk})


def places_for(user) -> list[Place]:
    """The places ``user`` may read figures of (the rule ``figures.view_place``): their
    districts, the districts' areas and municipalities; in that order. One query."""
    municipalities = permitted(
        "figures.view_place", user, Municipality.objects.select_related("area", "district")
    ).order_by("district__name", "area__name", "name")
    districts, areas, towns = {}, {}, []
    for town in municipalities:
        district = town.district
        if district.pk not in districts and allowed("figures.view_place", user, district):
            districts[district.pk] = Place("district", district.pk, district.name, district.name)
        area = town.area
        if area.pk not in areas and allowed("figures.view_place", user, area):
            areas[area.pk] = Place("area", area.pk, area.name, district.name)
        towns.append(Place("municipality", town.pk, town.name, district.name))
    return [*districts.values(), *areas.values(), *towns]


# --- the figures -----------------------------------------------------------------------------


@dataclass
class Figures:
    """Exact values by month ("2026-07") and figure key; ``labels`` names the parts of keyed
    figures (categories, platforms) in the active language."""

    place: Place
    period: Period
    values: dict[str, dict[str, float]] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    platforms: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    #: The whole period's onboarding figures (``engagement.services.onboarding_counts``).
    onboarding: dict[str, int] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        return [month_key(m) for m in self.period.months]

    def add(self, month: str, key: str, value) -> None:
        if month in self.values:
            self.values[month][key] = self.values[month].get(key, 0) + value

    def get(self, month: str, key: str):
        return self.values.get(month, {}).get(key)

    def count(self, month: str, key: str) -> int:
        return int(self.values.get(month, {}).get(key, 0))

    def total(self, key: str) -> int:
        return sum(self.count(month, key) for month in self.months)


def compute(place: Place, period: Period) -> Figures:
    """Every figure of ``place`` in ``period``, with a fixed number of queries whatever the
    amount of data."""
    figures = Figures(place, period, {month_key(m): {} for m in period.months})
    listings = place.narrow(Listing.objects.all())
    _listings(figures, listings)
    _closed(figures, listings)
    _answers(figures, listings)
    _volunteers(figures, listings)
    _meetings(figures, place.narrow(Meeting.objects.all()))
    _downloads(figures, place.narrow(MediaItem.objects.all()))
    figures.onboarding = onboarding_counts(place.municipalities(), period.start, period.end)
    return figures


def _in(period: Period, path: str) -> Q:
    return Q(**{f"{path}__gte": period.start, f"{path}__lt": period.end})


def _listings(figures: Figures, listings) -> None:
    """Needs and offers published in each month; needs by category, and how many of them are
    fulfilled by now (the categories most asked for and least met)."""
    rows = (
        listings.filter(_in(figures.period, "published_at"))
        .annotate(month=TruncMonth("published_at"))
        .values("month", "kind", "category__slug", "category__name", "category__translations")
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(status=Status.FULFILLED)))
        .order_by()
    )
    for row in rows:
        month = month_key(row["month"])
        figures.add(month, f"{row['kind']}s_posted", row["n"])
        if row["kind"] == Kind.NEED:
            slug = row["category__slug"]
            figures.categories[slug] = text_of(
                row["category__name"], row["category__translations"], "name"
            )
            figures.add(month, f"needs_posted:{slug}", row["n"])
            figures.add(month, f"needs_met:{slug}", row["met"])


def _closed(figures: Figures, listings) -> None:
    """Listings fulfilled or expired in each month: the time of the step that closed them."""
    closed_at = (
        ListingEvent.objects.filter(listing=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    rows = (
        listings.filter(status__in=list(CLOSED))
        .annotate(closed_at=Subquery(closed_at))
        .filter(_in(figures.period, "closed_at"))
        .annotate(month=TruncMonth("closed_at"))
        .values("month", "kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        figures.add(month_key(row["month"]), f"{row['kind']}s_{CLOSED[row['status']]}", row["n"])


def _first_answer():
    """The time of a listing's first answer: a message in a conversation or a promise."""
    first_conversation = (
        Conversation.objects.filter(listing=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    first_pledge = (
        Pledge.objects.filter(listing=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    conversation, pledge = Subquery(first_conversation), Subquery(first_pledge)
    # the earlier of the two where both exist (LEAST of a NULL differs between databases)
    return Least(Coalesce(conversation, pledge), Coalesce(pledge, conversation))


def _answers(figures: Figures, listings) -> None:
    """Listings answered for the first time in each month, and the median time from their
    publication to that answer, in hours."""
    rows = (
        listings.filter(published_at__isnull=False)
        .annotate(first_answer=_first_answer())
        .filter(_in(figures.period, "first_answer"))
        .values_list("kind", "published_at", "first_answer")
    )
    waits = defaultdict(list)
    for kind, published, answered in rows:
        month = month_key(answered)
        figures.add(month, f"{kind}s_answered", 1)
        waits[month].append(max((answered - published).total_seconds(), 0) / 3600)
    for month, hours in waits.items():
        figures.add(month, "answered", len(hours))
        figures.add(month, "median_hours_to_first_answer", round(median(hours), 1))


def _volunteers(figures: Figures, listings) -> None:
    """Active volunteers: people who, in the month and in the place, published an offer,
    answered a need or promised something for one. New volunteers: those among them who did
    so for the first time anywhere on the platform in that month."""
    period = figures.period
    needs = listings.filter(kind=Kind.NEED).values("pk")
    acts = (
        listings.filter(kind=Kind.OFFER)
        .filter(_in(period, "published_at"))
        .annotate(person=F("author_id"), month=TruncMonth("published_at"))
        .values_list("person", "month")
        .order_by()
        .union(
            Conversation.objects.filter(listing__in=needs)
            .filter(_in(period, "created_at"))
            .annotate(person=F("helper_id"), month=TruncMonth("created_at"))
            .values_list("person", "month")
            .order_by(),
            Pledge.objects.filter(listing__in=needs)
            .filter(_in(period, "created_at"))
            .annotate(person=F("helper_id"), month=TruncMonth("created_at"))
            .values_list("person", "month")
            .order_by(),
        )
        .order_by()
    )
    active = defaultdict(set)
    for person, month in acts:
        active[month_key(month)].add(person)
    people = set().union(*active.values())
    first_acts = {}
    if people:
        own = OuterRef("pk")
        rows = User.objects.filter(pk__in=people).values_list(
            "pk",
            Subquery(
                Listing.objects.filter(author=own, kind=Kind.OFFER, published_at__isnull=False)
                .order_by("published_at")
                .values("published_at")[:1]
            ),
            Subquery(
                Conversation.objects.filter(helper=own, listing__kind=Kind.NEED)
                .order_by("created_at")
                .values("created_at")[:1]
            ),
            Subquery(
                Pledge.objects.filter(helper=own, listing__kind=Kind.NEED)
                .order_by("created_at")
                .values("created_at")[:1]
            ),
        )
        for pk, *times in rows:
            first_acts[pk] = month_key(min(t for t in times if t is not None))
    for month, persons in active.items():
        figures.add(month, "active_volunteers", len(persons))
        figures.add(month, "new_volunteers", sum(first_acts.get(p) == month for p in persons))


def _meetings(figures: Figures, meetings) -> None:
    """Meetings held in each month (by platform), the invitations to them and the people who
    said they would come and had a place; the trainings among them and who attended them (as
    their organisers recorded)."""
    rows = (
        meetings.filter(status__in=HELD)
        .filter(_in(figures.period, "starts_at"))
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "kind", "platform__slug", "platform__name", "platform__translations")
        .annotate(
            held=Count("pk", distinct=True),
            invited=Count("invitations"),
            attending=Sum(
                "invitations__people",
                filter=Q(invitations__answer=Answer.YES, invitations__waiting_since__isnull=True),
            ),
            attended=Count("invitations", filter=Q(invitations__attended=True)),
        )
        .order_by()
    )
    for row in rows:
        month, slug = month_key(row["month"]), row["platform__slug"]
        figures.platforms[slug] = text_of(
            row["platform__name"], row["platform__translations"], "name"
        )
        figures.add(month, "meetings_held", row["held"])
        figures.add(month, f"meetings_held:{slug}", row["held"])
        figures.add(month, "invitations", row["invited"])
        figures.add(month, "attending", row["attending"] or 0)
        if row["kind"] == MeetingKind.TRAINING:
            figures.add(month, "trainings_held", row["held"])
            figures.add(month, "training_attendance", row["attended"])


def _downloads(figures: Figures, items) -> None:
    """Media opened or played in each month, by language (the items of the place)."""
    period = figures.period
    rows = (
        DownloadCount.objects.filter(
            item__in=items.values("pk"),
            day__gte=period.first,
            day__lt=add_months(period.last, 1),
        )
        .annotate(month=TruncMonth("day"))
        .values("month", "language")
        .annotate(n=Sum("count"))
        .order_by()
    )
    languages = set()
    for row in rows:
        languages.add(row["language"])
        figures.add(month_key(row["month"]), f"downloads:{row['language']}", row["n"])
        figures.add(month_key(row["month"]), "downloads", row["n"])
    figures.languages = sorted(languages)


# --- what is shown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A figure as it may be shown: ``value`` is None where it is withheld."""

    value: float | None
    suppressed: bool = False
    #: withheld though not small itself: a sum that would give away a withheld count beside it
    sum_withheld: bool = False

    @property
    def empty(self) -> bool:
        return self.value is None and not self.suppressed


def shown(count: int) -> Shown:
    """A count as shown everywhere: 0 as 0, 1 to 4 withheld ("fewer than 5")."""
    if 0 < count < SMALL:
        return Shown(None, suppressed=True)
    return Shown(count)


def shown_sum(count: int, parts: list[Shown]) -> Shown:
    """A count shown beside the counts it is the sum of (a row's months, a figure's parts):
    withheld too where one of them is, since it minus the others would give that one away."""
    if count >= SMALL and any(part.suppressed for part in parts):
        return Shown(None, suppressed=True, sum_withheld=True)
    return shown(count)


def shown_median(figures: Figures, month: str) -> Shown:
    """The median hours to a first answer in a month (months only: the period's median is not
    one of the months' medians). Withheld when fewer than five answers went into it; empty
    when there were none."""
    answered = figures.count(month, "answered")
    if answered == 0:
        return Shown(None)
    if answered < SMALL:
        return Shown(None, suppressed=True)
    return Shown(figures.get(month, "median_hours_to_first_answer"))


def ranked_categories(figures: Figures) -> tuple[list[str], list[str]]:
    """The categories most asked for (needs posted in the period, most first) and least met
    (the lowest share fulfilled by now, among categories with at least five needs, so that a
    share never stands for one or two people): three of each."""
    posted = {slug: figures.total(f"needs_posted:{slug}") for slug in figures.categories}
    met = {slug: figures.total(f"needs_met:{slug}") for slug in figures.categories}
    most = sorted((s for s in posted if posted[s]), key=lambda s: (-posted[s], s))[:3]
    enough = [s for s in posted if posted[s] >= SMALL]
    least = sorted(enough, key=lambda s: (met[s] / posted[s], -posted[s], s))[:3]
    return most, least
