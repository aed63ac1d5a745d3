"""What the media centre keeps about a person: which items they created (the items themselves
belong to their publisher and stay when the person is erased)."""

from hilfenetz.core import privacy
from hilfenetz.media.models import MediaItem


def export(user) -> list[dict]:
    return [
        {"item": item.slug, "created_at": item.created_at.isoformat()}
        for item in MediaItem.objects.filter(created_by=user).order_by("pk")
    ]


def erase(user) -> None:
    MediaItem.objects.filter(created_by=user).update(created_by=None)


privacy.register("media", export=export, erase=erase)
