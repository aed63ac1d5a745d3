"""Which district a page is about, for pages of every app that show one district's data."""

from hilfenetz.core import page_cache
from hilfenetz.regions.models import District

FIRST_DISTRICTS_READS = page_cache.model_tables("regions.District")
page_cache.declare("first-districts", FIRST_DISTRICTS_READS)


def first_districts() -> list:
    """Up to two districts: one means the installation serves only it (kept: asked on every
    list page)."""
    return page_cache.kept(
        "first-districts",
        (),
        lambda: list(District.objects.order_by("name")[:2]),
        reads=FIRST_DISTRICTS_READS,
    )


def browsed_district(chosen=None, user=None):
    """The district a page is about: the only one of the installation, the one chosen (a
    primary key), or the one of the user's home municipality; None if nothing tells."""
    districts = first_districts()
    if len(districts) == 1:
        return districts[0]
    if chosen and str(chosen).isdigit():
        district = District.objects.filter(pk=chosen).first()
        if district is not None:
            return district
    if user is not None and getattr(user, "home_municipality_id", None):
        return District.objects.filter(municipalities=user.home_municipality_id).first()
    return None
