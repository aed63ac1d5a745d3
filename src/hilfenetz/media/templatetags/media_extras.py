from django import template
from django.conf import settings

from hilfenetz.core.models import ui_language

register = template.Library()
NAMES = dict(settings.LANGUAGES)


@register.filter
def language_name(code: str) -> str:
    """A language's name in that language (people look for their own language's name)."""
    return NAMES.get(code, code)


@register.simple_tag
def item_text(item, language=None):
    """The item's title and description in ``language`` (default: the page's), else German."""
    return item.text(ui_language(language))
