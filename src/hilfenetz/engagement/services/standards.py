"""The district's standards of civic engagement, read and acknowledged per version."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import page_cache
from hilfenetz.core.predicates import require
from hilfenetz.engagement.models import StandardsAcknowledgement
from hilfenetz.engagement.services.welcome import onboarding_of
from hilfenetz.media.models import MediaItem, PlatformDocument
from hilfenetz.regions.browsing import browsed_district


@dataclass(frozen=True)
class StandardsVersion:
    """One version of a district's standards: the media item under the district's stable
    address and its newest file. A replaced file or another item is a new version."""

    item: object
    version: str
    dated: date


def current_standards_in(district_ids) -> dict[int, StandardsVersion]:
    """The current standards of each of the districts ``district_ids`` (a list or a subquery)
    that published them: the items under their stable address (the media centre's
    ``platform_document``), in two queries however many districts."""
    items = (
        MediaItem.objects.published()
        .filter(platform_document=PlatformDocument.VOLUNTEER_STANDARDS, district__in=district_ids)
        .prefetch_related("files")
    )
    found = {}
    for item in items:
        newest = max(item.files.all(), key=lambda f: (f.created_at, f.pk), default=None)
        if newest is None:
            version = StandardsVersion(
                item, str(item.pk), item.published_on or item.created_at.date()
            )
        else:
            version = StandardsVersion(
                item, f"{item.pk}.{newest.pk}", timezone.localdate(newest.created_at)
            )
        found[item.district_id] = version
    return found


def current_standards(district) -> StandardsVersion | None:
    """The same for everyone of the district: kept for them all, so that a volunteer's first
    page in a worker asks only for what is theirs (their welcome and acknowledgement)."""
    if district is None:
        return None
    return page_cache.same_for_group(
        "standards-current",
        district.pk,
        lambda: current_standards_in([district.pk]).get(district.pk),
    )


def acknowledged_current_q(versions: dict[int, StandardsVersion]) -> Q:
    """Acknowledgements of the current version (``versions``) of their district's standards."""
    condition = Q(pk__in=[])
    for district_id, standards in versions.items():
        condition |= Q(district_id=district_id, version=standards.version)
    return condition


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


#: In the session: whether the person is a volunteer (answered in the welcome), so that the
#: pages of everyone else ask nothing for the notice.
VOLUNTEER_SESSION_KEY = "engagement_volunteer"


def remember_volunteer(request, user) -> None:
    """Note in the session whether ``user`` is a volunteer (at login and when they answer)."""
    onboarding = onboarding_of(user)
    request.session[VOLUNTEER_SESSION_KEY] = onboarding is not None and onboarding.is_volunteer


def notice_due(request) -> bool:
    """Whether the page shows the notice to acknowledge the current standards."""
    user = request.user
    return bool(request.session.get(VOLUNTEER_SESSION_KEY)) and standards_pending(user)


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
