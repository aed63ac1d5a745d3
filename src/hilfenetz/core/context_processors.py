from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_bidi

from hilfenetz.core import page_cache


def platform(request):
    return {
        "platform_name": settings.HILFENETZ_PLATFORM_NAME,
        "language_dir": "rtl" if get_language_bidi() else "ltr",
        "current_language": get_language(),
        "ui_languages": settings.LANGUAGES,
        # read only by a template that keeps a fragment of categories or places
        "reference_data": SimpleLazyObject(lambda: page_cache.reference_data(request)),
    }
