from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hilfenetz.core"
    label = "core"
