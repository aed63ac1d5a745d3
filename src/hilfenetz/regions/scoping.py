"""Scoping by district and municipality, in one place.

Every object of Hilfenetz belongs to a municipality or a district. Whether a coordinator may
see or manage it is decided here, by :func:`coordinator_scope` and the queryset methods of
:class:`ScopedQuerySet`; views, the admin and the API never filter by scope themselves.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    district_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.district_ids or self.municipality_ids)

    def covers(self, *, municipality_id: int | None = None, district_id: int | None = None) -> bool:
        if self.everything:
            return True
        if district_id is not None and district_id in self.district_ids:
            return True
        return municipality_id is not None and municipality_id in self.municipality_ids

    def q(self, municipality_path: str | None = "municipality", district_path: str = "district"):
        """A Q object selecting rows in this scope (``municipality_path=None`` for rows that
        belong to a district only)."""
        if self.everything:
            return Q()
        q = Q(**{f"{district_path}_id__in": self.district_ids})
        if municipality_path is not None:
            q |= Q(**{f"{municipality_path}__district_id__in": self.district_ids})
            q |= Q(**{f"{municipality_path}_id__in": self.municipality_ids})
        return q if (self.district_ids or self.municipality_ids) else Q(pk__in=[])


EMPTY_SCOPE = Scope()


def object_scope(obj) -> tuple[int | None, int | None]:
    """(municipality id, district id) an object belongs to."""
    from hilfenetz.regions.models import District, Municipality

    if isinstance(obj, Municipality):
        return obj.id, obj.district_id
    if isinstance(obj, District):
        return None, obj.id
    if hasattr(obj, "scope_keys"):
        return obj.scope_keys()
    municipality_id = getattr(obj, "municipality_id", None)
    district_id = getattr(obj, "district_id", None)
    if district_id is None and municipality_id is not None:
        district_id = obj.municipality.district_id
    return municipality_id, district_id


def coordinator_scope(user) -> Scope:
    """What ``user`` coordinates: everything (administrator), whole districts, municipalities."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_hilfenetz_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True)
    else:
        roles = list(user.coordinator_roles.values_list("district_id", "municipality_id"))
        scope = Scope(
            district_ids=frozenset(d for d, m in roles if d is not None),
            municipality_ids=frozenset(m for d, m in roles if m is not None),
        )
    user._hilfenetz_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """Base queryset for models that belong to a municipality (and through it a district).

    Subclasses name the paths: ``municipality_path`` (None when the model belongs to a
    district only) and ``district_path``.
    """

    municipality_path: str | None = "municipality"
    district_path: str = "district"

    def coordinated_by(self, user):
        return self.filter(coordinator_scope(user).q(self.municipality_path, self.district_path))

    def in_district(self, district):
        return self.filter(**{f"{self.district_path}": district})

    def in_area(self, area):
        if self.municipality_path is None:
            return self.none()
        return self.filter(**{f"{self.municipality_path}__area": area})

    def in_municipality(self, municipality):
        if self.municipality_path is None:
            return self.none()
        return self.filter(**{self.municipality_path: municipality})
