"""Loading a district's geography from a data file."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from hilfenetz.regions.models import Area, District, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"


class DistrictFileError(ValueError):
    pass


@dataclass
class LoadReport:
    district: District
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_district_file(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DistrictFileError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise DistrictFileError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("district"), str):
        raise DistrictFileError(f"{path}: needs a 'district' name")
    areas = data.get("areas")
    if not isinstance(areas, dict) or not areas:
        raise DistrictFileError(f"{path}: needs 'areas', a mapping of area name to municipalities")
    seen: dict[str, str] = {}
    for area, names in areas.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise DistrictFileError(f"{path}: area {area!r} must list municipality names")
        for name in names:
            if name in seen:
                raise DistrictFileError(
                    f"{path}: {name!r} is listed in {seen[name]!r} and {area!r}"
                )
            seen[name] = area
    return data


@transaction.atomic
def load_district(
    data: dict, *, keep_areas: bool = True, progress: Callable[[str], None] | None = None
) -> LoadReport:
    """Create or update a district from parsed data; running it twice changes nothing.

    With ``keep_areas`` an existing municipality keeps the area a coordinator gave it: the
    file's assignment is only a default.
    """
    district, _ = District.objects.get_or_create(
        slug=slugify(data["district"]), defaults={"name": data["district"]}
    )
    if district.name != data["district"]:
        district.name = data["district"]
        district.save(update_fields=["name"])
    report = LoadReport(district=district)
    for area_name, names in data["areas"].items():
        area, _ = Area.objects.update_or_create(
            district=district, slug=slugify(area_name), defaults={"name": area_name}
        )
        for name in names:
            slug = slugify(name)
            municipality = Municipality.objects.filter(district=district, slug=slug).first()
            if municipality is None:
                Municipality.objects.create(district=district, area=area, name=name, slug=slug)
                report.created.append(name)
            elif municipality.name != name or (not keep_areas and municipality.area_id != area.id):
                municipality.name = name
                if not keep_areas:
                    municipality.area = area
                municipality.save()
                report.updated.append(name)
            else:
                report.unchanged += 1
            if progress:
                progress(name)
    return report


def load_district_file(path: Path, **kwargs) -> LoadReport:
    return load_district(read_district_file(path), **kwargs)


def default_district_file() -> Path:
    return DATA_DIR / "landkreis-esslingen.json"
