"""Finding offices and organisations."""

from dataclasses import dataclass

from django.db.models import Q

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.models import Topic
from hilfenetz.core.pagination import Rows, Window
from hilfenetz.directory.models import Office
from hilfenetz.regions.models import Municipality


@dataclass
class Filters:
    q: str = ""
    municipality: Municipality | None = None
    area: object = None
    topic: Topic | None = None
    kind: str = ""


def search_offices(filters: Filters):
    return _matching_offices(filters).with_details()


def _matching_offices(filters: Filters):
    qs = Office.objects.active()
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(city__icontains=filters.q)
            | Q(municipalities__name__icontains=filters.q)
            | Q(languages__icontains=filters.q)
        )
    if filters.municipality:
        qs = qs.filter(municipalities=filters.municipality)
    if filters.area:
        qs = qs.filter(municipalities__area=filters.area)
    if filters.q or filters.area:
        qs = qs.distinct()
    return qs.order_by("kind", "name")


def _with_details():
    return Office.objects.active().with_details()


def office_window(filters: Filters) -> Window:
    """The offices ``search_offices`` finds: their keys, in order, read in one query; a page
    loads the offices (with their details) only for the cards that are not kept."""
    return Window(_with_details(), keys=Window(_matching_offices(filters)).keys)


def search_organisations(filters: Filters):
    qs = (
        Organisation.objects.active()
        .select_related("municipality", "directory_profile")
        .prefetch_related("directory_profile__topics")
    )
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(directory_profile__topics__name__icontains=filters.q)
        ).distinct()
    if filters.municipality:
        qs = qs.filter(municipality=filters.municipality)
    if filters.area:
        qs = qs.filter(municipality__area=filters.area)
    if filters.topic:
        qs = qs.filter(directory_profile__topics=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("name")


def offices_for_municipality(municipality) -> tuple[Rows, Rows]:
    """ "Who is my contact for municipality X?": its offices, then the district's own (loaded
    only for the cards that are not kept)."""
    local = _matching_offices(Filters(municipality=municipality))
    district = Office.objects.active().filter(district_id=municipality.district_id, kind="district")
    return (
        Rows(_with_details(), list(local.values_list("pk", flat=True))),
        Rows(_with_details(), list(district.values_list("pk", flat=True))),
    )
