"""Following a platform and keeping it current."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.predicates import require
from hilfenetz.network.models import Follow, Platform
from hilfenetz.network.services.common import PLATFORM_FIELDS


@transaction.atomic
def update_platform(platform: Platform, actor, **fields) -> Platform:
    require("network.edit_platform", actor, platform)
    for name, value in fields.items():
        if name in PLATFORM_FIELDS:
            setattr(platform, name, value)
    platform.full_clean()
    platform.save()
    return platform


def follow(platform: Platform, actor, *, organisation: Organisation | None = None) -> Follow:
    """``actor`` follows ``platform`` (or makes an organisation they administer follow it).
    Following twice is following once."""
    require("network.follow", actor, platform)
    if organisation is not None:
        require("network.follow_for_organisation", actor, organisation)
        lookup = {"platform": platform, "organisation": organisation}
    else:
        lookup = {"platform": platform, "user": actor}
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(**lookup)[0]
    except IntegrityError:  # a concurrent click created it
        return Follow.objects.get(**lookup)


@transaction.atomic
def unfollow(platform: Platform, actor, *, organisation: Organisation | None = None) -> None:
    if organisation is not None:
        require("network.follow_for_organisation", actor, organisation)
        Follow.objects.filter(platform=platform, organisation=organisation).delete()
    else:
        Follow.objects.filter(platform=platform, user=actor).delete()


@transaction.atomic
def set_digest(platform: Platform, actor, wants: bool) -> Follow:
    """A follower chooses whether the platform's new threads come as a daily mail."""
    follow_obj = follow(platform, actor)
    follow_obj.wants_digest = wants
    follow_obj.digest_sent_at = timezone.now() if wants else None
    follow_obj.save(update_fields=["wants_digest", "digest_sent_at"])
    return follow_obj
