"""How a volunteer starts on the platform, as the district's standards of civic engagement
(Standards Bürgerschaftliches Engagement) describe it: a welcome after sign-up (what they want
to do, where, which platforms they follow) and the acknowledged current standards."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import page_cache
from hilfenetz.core.predicates import require
from hilfenetz.directory.models import Office
from hilfenetz.engagement.models import (
    VOLUNTEER_INTENTS,
    Onboarding,
    StandardsAcknowledgement,
)
from hilfenetz.media.models import PlatformDocument
from hilfenetz.media.services import platform_document
from hilfenetz.network.models import Follow, Platform
from hilfenetz.network.services import follow, unfollow
from hilfenetz.regions.browsing import browsed_district
from hilfenetz.regions.models import District, Municipality

# --- the welcome -----------------------------------------------------------------------------

#: The steps of the welcome, in order; a person resumes at the first one not answered.
STEPS = ("intent", "place", "platforms")


def onboarding_of(user) -> Onboarding | None:
    return Onboarding.objects.filter(user=user).first()


def next_step(onboarding: Onboarding | None) -> str | None:
    """The step to show next (None: the welcome is over)."""
    if onboarding is None or not onboarding.intent:
        return "intent"
    if onboarding.finished_at is not None:
        return None
    return "platforms" if onboarding.place_chosen else "place"


def needs_welcome(user) -> bool:
    """Whether the person is shown the welcome when they log in: until they finish or skip it."""
    onboarding = onboarding_of(user)
    return onboarding is None or not onboarding.is_over


def _onboarding_for_update(user) -> Onboarding:
    try:
        with transaction.atomic():
            Onboarding.objects.get_or_create(user=user)
    except IntegrityError:  # a second tab created it at the same moment
        pass
    return Onboarding.objects.select_for_update().get(user=user)


@transaction.atomic
def answer_intent(user, intent: str) -> Onboarding:
    require("engagement.welcome", user)
    onboarding = _onboarding_for_update(user)
    onboarding.intent = intent
    onboarding.full_clean(exclude=["user"])
    onboarding.save(update_fields=["intent"])
    return onboarding


@transaction.atomic
def choose_place(user, municipality: Municipality | None) -> Onboarding:
    """The person's municipality (their profile's home municipality; None: they do not say)."""
    require("engagement.welcome", user)
    onboarding = _onboarding_for_update(user)
    user.home_municipality = municipality
    user.save(update_fields=["home_municipality"])
    onboarding.place_chosen = True
    onboarding.save(update_fields=["place_chosen"])
    return onboarding


@transaction.atomic
def choose_platforms(user, chosen) -> Onboarding:
    """The person follows the platforms ``chosen`` among their district's (and no longer the
    others of it); the welcome is over."""
    require("engagement.welcome", user)
    onboarding = _onboarding_for_update(user)
    offered = set(platforms_offered(user))
    chosen = set(chosen) & offered
    for platform in chosen:
        follow(platform, user)
    for platform in offered - chosen:
        unfollow(platform, user)
    onboarding.finished_at = timezone.now()
    onboarding.save(update_fields=["finished_at"])
    return onboarding


@transaction.atomic
def skip_welcome(user) -> Onboarding:
    """Later: the welcome no longer opens by itself; the profile offers to resume it."""
    require("engagement.welcome", user)
    onboarding = _onboarding_for_update(user)
    if onboarding.skipped_at is None:
        onboarding.skipped_at = timezone.now()
        onboarding.save(update_fields=["skipped_at"])
    return onboarding


def platforms_offered(user):
    """The active platforms of the person's district."""
    platforms = Platform.objects.active()
    district = browsed_district(None, user)
    return platforms.filter(district=district) if district is not None else platforms


def followed_platform_ids(user) -> set[int]:
    return set(Follow.objects.filter(user=user).values_list("platform_id", flat=True))


def offices_for(municipality: Municipality | None):
    """The coordination offices serving ``municipality``, with their public contacts."""
    if municipality is None:
        return Office.objects.none()
    return Office.objects.active().serving(municipality).with_details()


# --- the standards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardsVersion:
    """One version of a district's standards: the media item under the district's stable
    address and its newest file. A replaced file or another item is a new version."""

    item: object
    version: str
    dated: date


def current_standards(district) -> StandardsVersion | None:
    if district is None:
        return None
    item = platform_document(district, PlatformDocument.VOLUNTEER_STANDARDS)
    if item is None:
        return None
    newest = item.files.order_by("-created_at", "-pk").first()
    if newest is None:
        return StandardsVersion(item, str(item.pk), item.published_on or item.created_at.date())
    return StandardsVersion(item, f"{item.pk}.{newest.pk}", timezone.localdate(newest.created_at))


def standards_for(user) -> StandardsVersion | None:
    return current_standards(browsed_district(None, user))


def has_acknowledged(user, standards: StandardsVersion) -> bool:
    return StandardsAcknowledgement.objects.filter(
        user=user, district=standards.item.district_id, version=standards.version
    ).exists()


@transaction.atomic
def acknowledge_standards(user, version: str) -> StandardsAcknowledgement:
    """``user`` read the standards in the version ``version`` (the one they were shown) and
    acknowledges them. A version that is no longer current is refused: they read the old one."""
    require("engagement.acknowledge", user)
    standards = standards_for(user)
    if standards is None or standards.version != version:
        raise ValidationError(
            _("The standards were replaced by a new version meanwhile. Please read it first.")
        )
    acknowledgement, _created = StandardsAcknowledgement.objects.get_or_create(
        user=user,
        district_id=standards.item.district_id,
        version=standards.version,
        defaults={"item": standards.item, "version_date": standards.dated},
    )
    return acknowledgement


def _standards_pending(user) -> bool:
    onboarding = onboarding_of(user)
    if onboarding is None or not onboarding.is_volunteer:
        return False
    standards = standards_for(user)
    return standards is not None and not has_acknowledged(user, standards)


def standards_pending(user) -> bool:
    """Whether a volunteer still has to acknowledge their district's current standards (asked
    on each of their pages, so kept per person until one of the tables read changes)."""
    if not user.is_authenticated:
        return False
    return page_cache.per_person(
        "engagement-standards-pending",
        user.pk,
        lambda: _standards_pending(user),
        "engagement.Onboarding",
        "engagement.StandardsAcknowledgement",
        "media.MediaItem",
        "media.MediaFile",
        "accounts.User",
    )


# --- figures ---------------------------------------------------------------------------------


def onboarding_counts(municipalities, start: datetime, end: datetime) -> dict[str, int]:
    """Figures for the steering group, naming nobody. Of the volunteers (who said in the
    welcome that they help or act for an organisation) living in ``municipalities`` (a
    queryset or an iterable of municipalities) who registered in [start, end):

    - ``new_volunteers``: how many there are;
    - ``acknowledged_standards``: how many of them acknowledged the current version of their
      district's standards."""
    municipalities = list(Municipality.objects.filter(pk__in=[m.pk for m in municipalities]))
    new = Onboarding.objects.filter(
        intent__in=VOLUNTEER_INTENTS,
        user__home_municipality__in=municipalities,
        user__date_joined__gte=start,
        user__date_joined__lt=end,
        user__is_active=True,
    )
    current = Q(pk__in=[])
    for district in District.objects.filter(pk__in={m.district_id for m in municipalities}):
        standards = current_standards(district)
        if standards is not None:
            current |= Q(district=district, version=standards.version)
    acknowledged = StandardsAcknowledgement.objects.filter(current).values("user_id")
    return {
        "new_volunteers": new.count(),
        "acknowledged_standards": new.filter(user_id__in=acknowledged).count(),
    }
