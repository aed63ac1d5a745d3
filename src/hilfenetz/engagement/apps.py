from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "hilfenetz.engagement"
    label = "engagement"
    verbose_name = _("Getting started")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from hilfenetz.core import frame
        from hilfenetz.engagement import privacy, rules, tasks  # noqa: F401
        from hilfenetz.engagement.services import notice_due, remember_volunteer

        user_logged_in.connect(
            lambda sender, request, user, **kwargs: remember_volunteer(request, user),
            weak=False,
            dispatch_uid="engagement.remember_volunteer",
        )
        frame.shows(notice_due)  # the layout's notice, outside its kept parts
