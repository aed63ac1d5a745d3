from django import template

from hilfenetz.engagement.services import standards_pending

register = template.Library()


@register.inclusion_tag("engagement/_standards_notice.html", takes_context=True)
def standards_notice(context):
    """On every page of a volunteer until they acknowledged the current standards."""
    user = getattr(context.get("request"), "user", None)  # none on an early error page
    return {"show": user is not None and standards_pending(user)}
