"""Background work of the media centre: preview pictures and the daily review reminder."""

from datetime import timedelta

from django.tasks import task

from hilfenetz.core.periodic import every


class PreviewFailed(Exception):
    """A PDF or video whose preview could not be made: tried again later, then listed for the
    administrator among the failed tasks (core/task_retries.py)."""


@task()
def make_preview(file_id: int) -> bool:
    from hilfenetz.media import previews
    from hilfenetz.media.models import MediaFile

    media_file = MediaFile.objects.filter(pk=file_id).exclude(file="").first()
    if media_file is None:
        return False
    if previews.make(media_file):
        return True
    if media_file.is_pdf or media_file.is_video:
        raise PreviewFailed(f"no preview could be made of media file {file_id}")
    return False


@task()
def remind_to_review() -> int:
    from hilfenetz.media.services import remind_reviews

    return remind_reviews()


every(timedelta(days=1), remind_to_review)
