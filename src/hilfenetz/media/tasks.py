"""Background work of the media centre: preview pictures and the daily review reminder."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every


@task()
def make_preview(file_id: int) -> bool:
    from hilfenetz.media import previews
    from hilfenetz.media.models import MediaFile

    media_file = MediaFile.objects.filter(pk=file_id).exclude(file="").first()
    return media_file is not None and previews.make(media_file)


@task()
def remind_to_review() -> int:
    from hilfenetz.media.services import remind_reviews

    return remind_reviews()


every(timedelta(days=1), remind_to_review)
