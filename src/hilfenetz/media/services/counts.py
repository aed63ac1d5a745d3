"""Anonymous download counts and their statistics."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from hilfenetz.media.models import DownloadCount, MediaItem


def count_download(item: MediaItem, language: str, today: date | None = None) -> None:
    """One more opening of ``item`` in ``language`` today. Nothing about the person is kept."""
    today = today or timezone.localdate()
    updated = DownloadCount.objects.filter(item=item, language=language, day=today).update(
        count=F("count") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(item=item, language=language, day=today, count=1)
    except IntegrityError:  # created by a parallel request in the meantime
        DownloadCount.objects.filter(item=item, language=language, day=today).update(
            count=F("count") + 1
        )


def download_statistics(user, since: date):
    """Rows ``{item, total, per language}`` for the items the user coordinates, most first."""
    counts = (
        DownloadCount.objects.filter(
            item__in=MediaItem.objects.editable_by(user).values("pk"), day__gte=since
        )
        .values("item_id", "language")
        .annotate(n=Sum("count"))
    )
    per_item: dict[int, dict[str, int]] = {}
    for row in counts:
        per_item.setdefault(row["item_id"], {})[row["language"]] = row["n"]
    items = MediaItem.objects.filter(pk__in=per_item)
    languages = [code for code, _name in settings.LANGUAGES]
    rows = [
        {
            "item": item,
            "total": sum(per_item[item.pk].values()),
            "languages": [per_item[item.pk].get(code, 0) for code in languages],
        }
        for item in items
    ]
    rows.sort(key=lambda r: (-r["total"], r["item"].pk))
    return languages, rows
