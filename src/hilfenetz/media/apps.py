from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "hilfenetz.media"
    label = "media"
    verbose_name = _("Media centre")

    def ready(self):
        from hilfenetz.media import privacy, rules, tasks  # noqa: F401
