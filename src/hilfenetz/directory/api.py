"""Public API of the directory: offices with their public contacts, and organisations."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.models import Topic
from hilfenetz.directory.models import Office
from hilfenetz.directory.services import Filters, search_offices, search_organisations
from hilfenetz.regions.models import Area, Municipality

router = Router(tags=["directory"])


class ContactOut(Schema):
    name: str
    function: str
    phone: str
    email: str


class OfficeOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    municipalities: list[str]
    street: str
    postcode: str
    city: str
    opening_hours: str
    phone: str
    fax: str
    email: str
    website: str
    languages: str
    contacts: list[ContactOut]
    verified_at: datetime | None

    @staticmethod
    def resolve_municipalities(obj):
        return [m.name for m in obj.municipalities.all()]

    @staticmethod
    def resolve_contacts(obj):
        return obj.public_contacts


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    municipality: str | None
    has_speaker: bool
    topics: list[str]
    public_email: str
    website: str
    how_to_reach: str
    verified_at: datetime | None

    @staticmethod
    def resolve_municipality(obj):
        return obj.municipality.name if obj.municipality else None

    @staticmethod
    def _profile(obj):
        return getattr(obj, "directory_profile", None)

    @staticmethod
    def resolve_topics(obj):
        profile = OrganisationOut._profile(obj)
        return [t.label() for t in profile.topics.all()] if profile else []

    @staticmethod
    def resolve_how_to_reach(obj):
        profile = OrganisationOut._profile(obj)
        return profile.how_to_reach if profile else ""

    @staticmethod
    def resolve_verified_at(obj):
        profile = OrganisationOut._profile(obj)
        return profile.verified_at if profile else None


def _filters(q, municipality, area, topic="", kind=""):
    return Filters(
        q=(q or "").strip(),
        municipality=Municipality.objects.filter(slug=municipality).first()
        if municipality
        else None,
        area=Area.objects.filter(slug=area).first() if area else None,
        topic=Topic.objects.filter(slug=topic).first() if topic else None,
        kind=kind or "",
    )


@router.get("/offices", response=list[OfficeOut], summary="Coordination offices")
@paginate
def list_offices(request, q: str = "", municipality: str = "", area: str = "") -> list[Office]:
    """Coordination offices with the municipalities they serve, their public contact persons
    and when they were last verified; filter by text, municipality or area slug."""
    filters = _filters(q, municipality, area)
    if (municipality and not filters.municipality) or (area and not filters.area):
        return Office.objects.none()
    return search_offices(filters)


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations")
@paginate
def list_organisations(
    request, q: str = "", municipality: str = "", area: str = "", topic: str = "", kind: str = ""
) -> list[Organisation]:
    """Organisations and working groups; filter by text, municipality, area, topic or kind."""
    filters = _filters(q, municipality, area, topic, kind)
    if (
        (municipality and not filters.municipality)
        or (area and not filters.area)
        or (topic and not filters.topic)
    ):
        return Organisation.objects.none()
    return search_organisations(filters)
