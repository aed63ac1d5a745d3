from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SlipsConfig(AppConfig):
    name = "hilfenetz.slips"
    label = "slips"
    verbose_name = _("Slips for people without e-mail")

    def ready(self):
        from hilfenetz.exchange.models import Message
        from hilfenetz.slips import privacy, rules, tasks  # noqa: F401

        post_save.connect(
            tasks.text_new_answer, sender=Message, dispatch_uid="slips.text_new_answer"
        )
