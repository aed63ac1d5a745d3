"""``/api/v1/listings``: published needs and offers, without any personal data."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from hilfenetz.core.api_errors import IsoDate
from hilfenetz.core.integers import Id
from hilfenetz.core.page_cache import public_page
from hilfenetz.core.pagination import KeysetPagination
from hilfenetz.exchange import services
from hilfenetz.exchange.alerts import apply_filters
from hilfenetz.exchange.models import MAX_QUANTITY, Category, Kind, Listing
from hilfenetz.regions.models import Area, District, Municipality

router = Router(tags=["help exchange"])


class ListingOut(Schema):
    id: int
    kind: str
    category: str
    municipality: str
    language: str
    title: str
    status: str
    created: datetime

    @staticmethod
    def resolve_category(obj):
        return obj.category.slug

    @staticmethod
    def resolve_municipality(obj):
        return obj.municipality.slug

    @staticmethod
    def resolve_created(obj):
        return obj.published_at or obj.created_at


class ListingIn(Schema):
    kind: Kind
    category: str
    municipality: Id
    language: str = "de"
    title: str
    description: str
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY)
    unit: str = ""
    transport_needed: bool = False
    valid_until: IsoDate | None = Field(
        None, description="From today to a year ahead; empty: the district's validity period."
    )
    on_behalf_agreement: str = Field(
        "",
        description="Coordinators only: posted on behalf of a person without an account, "
        "with what they agreed to.",
    )


class AnswerIn(Schema):
    body: str


class PledgeIn(Schema):
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)


class Ok(Schema):
    id: int


@router.get("/listings", response=list[ListingOut], summary="Published needs and offers")
@decorate_view(public_page)
@paginate(KeysetPagination)
def list_listings(
    request,
    q: str = "",
    kind: Kind | None = None,
    district: str | None = None,
    category: str | None = None,
    area: str | None = None,
    municipality: str | None = None,
    since: IsoDate | None = None,
    sort: Literal["relevance", "date"] = "relevance",
):
    """Filter by words (``q``; a word ending in ``*`` is a prefix), ``kind``,
    district/category/area/municipality slug and ``since`` (date). Newest first; with ``q``
    best first, unless ``sort=date``. ``count`` counts up to 1,000 matches. Newest first,
    following ``next`` as ``cursor`` reaches every listing, each page at the cost of the first;
    ``offset`` reaches the first 1,000 (and is how a search by relevance is paged).
    Categories are a district's: a category slug matches the category of that name in the
    ``district`` given, or in every district."""
    qs = Listing.objects.published().for_list()
    lookups = {}
    if district:
        lookups["district"] = District.objects.filter(slug=district).first()
        if lookups["district"] is None:
            return Listing.objects.none()
    in_district = {"district": lookups["district"]} if district else {}
    for name, model, slug in (
        ("area", Area, area),
        ("municipality", Municipality, municipality),
    ):
        if slug:
            lookups[name] = model.objects.filter(slug=slug, **in_district).first()
            if lookups[name] is None:
                return Listing.objects.none()
    if category:
        found = list(
            Category.objects.filter(slug=category, **in_district).values_list("pk", flat=True)
        )
        if not found:
            return Listing.objects.none()
        # One category (one district, or the one named) by its key: the list seeks into the
        # category's index in order. Through a subquery, SQLite walks the index of all
        # listings by date and reads each row to check its category. Several (the slug in
        # several districts, none named) cost that walk still, and a cursor page a sort.
        qs = qs.filter(category=found[0]) if len(found) == 1 else qs.filter(category__in=found)
    qs = qs.order_by("-published_at", "-pk")
    return apply_filters(
        qs, q=q, kind=kind or "", since=since, by_relevance=sort == "relevance", **lookups
    )


def _published(pk):
    return get_object_or_404(Listing.objects.published(), pk=pk)


@router.post("/listings", response={201: Ok}, auth=django_auth, summary="Post a listing")
def create_listing(request, payload: ListingIn):
    data = payload.dict()
    data["municipality"] = get_object_or_404(
        Municipality.objects.select_related("district"), pk=data["municipality"]
    )
    category = (
        Category.objects.active()
        .for_district(data["municipality"].district)
        .filter(slug=data["category"])
        .first()
    )
    if category is None:
        raise HttpError(
            400,
            f"No category {data['category']!r} in the district of the municipality "
            f"({data['municipality'].district.slug}).",
        )
    data["category"] = category
    data["consent_agreement"] = data.pop("on_behalf_agreement")
    listing = services.create_listing(request.user, **data)
    return Status(201, {"id": listing.pk})


@router.post(
    "/listings/{listing_id}/answer", response={201: Ok}, auth=django_auth, summary="Answer"
)
def answer_listing(request, listing_id: Id, payload: AnswerIn):
    conversation = services.answer(_published(listing_id), request.user, payload.body)
    return Status(201, {"id": conversation.pk})


@router.post(
    "/listings/{listing_id}/pledge", response={201: Ok}, auth=django_auth, summary="Promise"
)
def pledge_listing(request, listing_id: Id, payload: PledgeIn):
    pledge = services.pledge(_published(listing_id), request.user, payload.quantity)
    return Status(201, {"id": pledge.pk})
