from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from hilfenetz.core import page_cache
from hilfenetz.crisis.models import CrisisMode

register = template.Library()

BANNER_READS = page_cache.model_tables("crisis.CrisisMode", "regions.District")
page_cache.declare("crisis-banner", BANNER_READS)


def _render() -> str:
    modes = (
        CrisisMode.objects.filter(is_on=True, ends_on__gte=timezone.localdate())
        .select_related("district")
        .order_by("district__name")
    )
    return render_to_string("crisis/banner.html", {"modes": list(modes)})


@register.simple_tag
def crisis_banner():
    """The banner of every district in crisis mode, on every page: rendered once per language
    and day and kept until a switch changes (a kept page that shows it follows the switch too)."""
    return page_cache.kept("crisis-banner", (), _render, reads=BANNER_READS)
