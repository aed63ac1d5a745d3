from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from hilfenetz.core import page_cache
from hilfenetz.crisis.models import CrisisMode

register = template.Library()

BANNER_READS = page_cache.model_tables("crisis.CrisisMode", "regions.District")
# fetched with the request's first version read, also before the banner's first rendering
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
    """The banner of every district in crisis mode, on every page. The same for everyone: with
    the page cache on it is rendered once per language and day and kept until a switch changes
    (its versions come in the round trip every page makes; a kept page that shows it follows
    the switch too); with the page cache off it is read on each page."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return _render()
    return page_cache.kept("crisis-banner", (), _render, reads=BANNER_READS)
