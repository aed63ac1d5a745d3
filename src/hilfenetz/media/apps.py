from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "hilfenetz.media"
    label = "media"
    verbose_name = _("Media centre")

    def ready(self):
        from hilfenetz.core import moderation
        from hilfenetz.media import privacy, rules, tasks  # noqa: F401
        from hilfenetz.media.models import MediaItem, Status

        # The rule ``media.moderate``: coordinators of the item's scope, administrators.
        moderation.register(
            "media.pending",
            template="media/_moderation.html",
            items=lambda user: (
                MediaItem.objects.coordinated_by(user)
                .filter(status=Status.PENDING)
                .select_related("district", "municipality", "organisation")
                .order_by("updated_at")
            ),
        )
