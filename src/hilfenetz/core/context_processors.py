from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from hilfenetz.core.i18n import language_groups


def platform(request):
    return {
        "platform_name": settings.HILFENETZ_PLATFORM_NAME,
        "language_dir": "rtl" if get_language_bidi() else "ltr",
        "current_language": get_language(),
        "ui_language_groups": language_groups,  # called by the menu only when not kept
    }
