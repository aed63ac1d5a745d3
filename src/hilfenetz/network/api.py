"""``/api/v1/platforms`` and ``/api/v1/meetings``: public fields of platforms and announced
meetings (no addresses of people, no online links, no answers)."""

from datetime import datetime, time

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from hilfenetz.core.api_errors import IsoDate
from hilfenetz.core.integers import Id
from hilfenetz.network.models import Meeting, Platform
from hilfenetz.regions.models import Area, District, Municipality

router = Router(tags=["networking platform"])


class PlatformOut(Schema):
    id: int
    district: str
    slug: str
    name: str
    purpose: str
    translations: dict

    @staticmethod
    def resolve_district(obj):
        return obj.district.slug

    @staticmethod
    def resolve_purpose(obj):
        return obj.description


class MeetingOut(Schema):
    id: int
    uid: str
    platform: int
    title: str
    language: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    format: str
    status: str
    municipality: str
    municipalities: list[str]
    meeting_languages: list[str]
    interpreting: bool

    @staticmethod
    def resolve_uid(obj):
        return str(obj.uid)

    @staticmethod
    def resolve_platform(obj):
        return obj.platform_id

    @staticmethod
    def resolve_municipality(obj):
        return obj.municipality.slug

    @staticmethod
    def resolve_municipalities(obj):
        return [m.slug for m in obj.municipalities.all()]


@router.get("/platforms", response=list[PlatformOut], summary="Thematic platforms")
@paginate
def list_platforms(request, district: str | None = None):
    """Active platforms, filtered by ``district`` slug."""
    qs = Platform.objects.active().select_related("district").order_by("district", "position")
    if district:
        qs = qs.filter(district__slug=district)
    return qs


@router.get("/meetings", response=list[MeetingOut], summary="Announced exchange meetings")
@paginate
def list_meetings(
    request,
    platform: Id | None = None,
    district: str | None = None,
    area: str | None = None,
    municipality: str | None = None,
    start: IsoDate | None = None,
    end: IsoDate | None = None,
):
    """Meetings whose invitations went out (also held and cancelled ones), filtered by
    ``platform`` id, ``district``/``area``/``municipality`` slug (a municipality invited) and
    the days ``start`` to ``end`` (inclusive)."""
    qs = (
        Meeting.objects.announced()
        .select_related("municipality")
        .prefetch_related("municipalities")
        .order_by("starts_at", "pk")
    )
    if platform:
        qs = qs.filter(platform_id=platform)
    district_obj = None
    if district:
        district_obj = District.objects.filter(slug=district).first()
        if district_obj is None:
            return Meeting.objects.none()
        qs = qs.in_district(district_obj)
    in_district = {"district": district_obj} if district_obj else {}
    if municipality:
        place = Municipality.objects.filter(slug=municipality, **in_district).first()
        qs = qs.filter(municipalities=place) if place else qs.none()
    elif area:
        place = Area.objects.filter(slug=area, **in_district).first()
        qs = qs.filter(municipalities__area=place).distinct() if place else qs.none()
    if start:
        qs = qs.filter(ends_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        qs = qs.filter(starts_at__lte=timezone.make_aware(datetime.combine(end, time.max)))
    return qs


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One announced meeting")
def get_meeting(request, meeting_id: Id):
    return get_object_or_404(
        Meeting.objects.announced().select_related("municipality"), pk=meeting_id
    )
