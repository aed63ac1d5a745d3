from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "hilfenetz.network"
    label = "network"
    verbose_name = _("Networking platform")

    def ready(self):
        from hilfenetz.core import moderation
        from hilfenetz.network import platforms, privacy, rules, tasks  # noqa: F401
        from hilfenetz.network.models import BoardReport, Meeting
        from hilfenetz.regions.models import District

        moderation.register(
            "network.board",
            template="network/_moderation.html",
            items=lambda user: (
                BoardReport.objects.coordinated_by(user)
                .open()
                .select_related("thread__platform", "reply")
                .only(  # what network/_moderation.html shows
                    "reason",
                    "thread__title",
                    "thread__language",
                    "thread__platform__name",
                    "thread__platform__translations",
                    "reply__body",
                    "reply__language",
                )
                .order_by("created_at")
            ),
        )
        moderation.register(
            "network.proposed",
            template="network/_moderation_meetings.html",
            items=lambda user: (
                Meeting.objects.awaiting_agreement(user).for_display().order_by("starts_at")
            ),
        )
        post_save.connect(
            platforms.seed_new_district,
            sender=District,
            dispatch_uid="network.seed_new_district",
        )
