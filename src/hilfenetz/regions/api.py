from ninja import Router, Schema
from ninja.pagination import paginate

from hilfenetz.regions.models import Municipality

router = Router(tags=["regions"])


class MunicipalityOut(Schema):
    id: int
    name: str
    slug: str
    area: str
    district: str

    @staticmethod
    def resolve_area(obj):
        return obj.area.name

    @staticmethod
    def resolve_district(obj):
        return obj.district.name


@router.get("/municipalities", response=list[MunicipalityOut], summary="Municipalities")
@paginate
def list_municipalities(request, district: str | None = None, area: str | None = None):
    """All municipalities with their area and district; filter by district or area slug."""
    qs = Municipality.objects.with_geography().order_by("district__name", "name")
    if district:
        qs = qs.filter(district__slug=district)
    if area:
        qs = qs.filter(area__slug=area)
    return qs
