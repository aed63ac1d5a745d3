from django import template

from hilfenetz.engagement.services import notice_due

register = template.Library()


@register.inclusion_tag("engagement/_standards_notice.html", takes_context=True)
def standards_notice(context):
    """On every page of a volunteer until they acknowledged the current standards."""
    request = context.get("request")
    # none on an early error page; no session on the API's
    if request is None or not hasattr(request, "session") or not hasattr(request, "user"):
        return {"show": False}
    return {"show": notice_due(request)}
