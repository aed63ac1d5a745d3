from django import template

from hilfenetz.core import i18n
from hilfenetz.core.models import ui_language

register = template.Library()
register.filter("language_name", i18n.language_name)


@register.simple_tag
def item_text(item, language=None):
    """The item's title and description in ``language`` (default: the page's), else German."""
    return item.texts(ui_language(language))
