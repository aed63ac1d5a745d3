"""The welcome after sign-up: what a person wants to do, where, which platforms they follow."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from hilfenetz.core.predicates import allowed, require
from hilfenetz.directory.models import Office
from hilfenetz.engagement.models import Onboarding
from hilfenetz.network.models import Follow, Platform
from hilfenetz.network.services import follow, unfollow
from hilfenetz.regions.browsing import browsed_district
from hilfenetz.regions.models import Municipality

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


def step_to_show(onboarding: Onboarding | None, asked: str | None) -> str:
    """The step asked for (going back is fine), but never one beyond the first step not
    answered: the welcome is not finished by jumping over its questions."""
    pending = next_step(onboarding)
    if asked not in STEPS:
        return pending or STEPS[-1]
    if pending is not None and STEPS.index(asked) > STEPS.index(pending):
        return pending
    return asked


def needs_welcome(user) -> bool:
    """Whether the person is shown the welcome when they log in: until they finish or skip it."""
    if not allowed("engagement.welcome_at_login", user):
        return False
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
