from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "hilfenetz.exchange"
    label = "exchange"
    verbose_name = _("Help exchange")

    def ready(self):
        from hilfenetz.core import moderation
        from hilfenetz.exchange import categories, privacy, rules, tasks  # noqa: F401
        from hilfenetz.exchange.services import follow_area, open_reports, waiting_listings

        # its cards' reads declared as the worker starts, not when a page first loads the tags
        from hilfenetz.exchange.templatetags import exchange  # noqa: F401
        from hilfenetz.regions.models import District, Municipality

        # the queue's page shows these two itself; they count in the navigation with the rest
        moderation.register("exchange.listings", items=waiting_listings)
        moderation.register("exchange.reports", items=open_reports)
        post_save.connect(
            categories.seed_new_district,
            sender=District,
            dispatch_uid="exchange.seed_new_district",
        )
        post_save.connect(follow_area, sender=Municipality, dispatch_uid="exchange.follow_area")
