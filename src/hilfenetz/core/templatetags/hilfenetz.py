from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from hilfenetz.core.predicates import allowed as allowed_rule

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, rule_name, obj=None):
    """``{% allowed "rule.name" obj as ok %}``: the same rules the views use."""
    return allowed_rule(rule_name, context["request"].user, obj)


@register.simple_tag
def user_text(text, lang="", element="span"):
    """User-written text, escaped, with its language and ``dir="auto"``."""
    if element not in {"span", "p", "div", "bdi", "h1", "h2", "h3"}:
        element = "span"
    if lang:
        return format_html('<{0} lang="{1}" dir="auto">{2}</{0}>', element, lang, text)
    return format_html('<{0} dir="auto">{1}</{0}>', element, text)


@register.simple_tag(takes_context=True)
def person_name(context, person):
    """A person's display name where the viewer may see it (``accounts.rules.see_name``),
    otherwise a neutral label: visitors never learn who wrote on the platform."""
    from hilfenetz.accounts.rules import see_name

    if see_name(getattr(context.get("request"), "user", None), person):
        return user_text(person.display_name)
    return _("A member")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
