"""Scoping by district and municipality, in one place (the kernel: it imports no app).

Every object of Hilfenetz belongs to a municipality or a district. Whether a coordinator may
see or manage it is decided here, by :func:`coordinator_scope` and the queryset methods of
:class:`ScopedQuerySet`; views, the admin and the API never filter by scope themselves.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import Q

from hilfenetz.core import page_cache
from hilfenetz.core.predicates import EVERY, NOTHING


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    district_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    # the districts the municipalities lie in: who coordinates one of them works in the district
    municipality_district_ids: frozenset[int] = frozenset()

    @property
    def key(self) -> tuple:
        """The same for the same scope, in every process (a key of what is kept per scope)."""
        return (
            self.everything,
            tuple(sorted(self.district_ids)),
            tuple(sorted(self.municipality_ids)),
        )

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.district_ids or self.municipality_ids)

    def reaches_district(self, district_id: int | None) -> bool:
        """Whether the scope holds the district or one of its municipalities."""
        return district_id is not None and (
            self.everything
            or district_id in self.district_ids
            or district_id in self.municipality_district_ids
        )

    def covers(self, *, municipality_id: int | None = None, district_id: int | None = None) -> bool:
        if self.everything:
            return True
        if district_id is not None and district_id in self.district_ids:
            return True
        return municipality_id is not None and municipality_id in self.municipality_ids

    def q(self, municipality_path: str | None = "municipality", district_path: str = "district"):
        """A Q object selecting rows in this scope (``municipality_path=None`` for rows that
        belong to a district only, ``""`` for a path to the row itself)."""
        if self.everything:
            return EVERY
        # Only the conditions that can match: an empty "IN ()" costs its compilation in every
        # query of a municipal coordinator's pages and selects nothing.
        conditions = []
        if self.district_ids:
            through_municipality = (
                _join(municipality_path, "district_id") if municipality_path is not None else None
            )
            for path in dict.fromkeys((_id(district_path), through_municipality)):
                if path is not None:  # once where the district is the municipality's
                    conditions.append(Q(**{f"{path}__in": self.district_ids}))
        if self.municipality_ids and municipality_path is not None:
            conditions.append(Q(**{f"{_id(municipality_path)}__in": self.municipality_ids}))
        return reduce(operator.or_, conditions) if conditions else NOTHING


def _id(path: str) -> str:
    return f"{path}_id" if path else "pk"


def _join(path: str, field: str) -> str:
    return f"{path}__{field}" if path else field


EMPTY_SCOPE = Scope()


def _roles_scope(user) -> Scope:
    # ``coordinator_roles``: the roles a person holds (regions.CoordinatorRole)
    roles = list(
        user.coordinator_roles.values_list(
            "district_id", "municipality_id", "municipality__district"
        )
    )
    return Scope(
        district_ids=frozenset(d for d, m, _ in roles if d is not None),
        municipality_ids=frozenset(m for d, m, _ in roles if m is not None),
        municipality_district_ids=frozenset(md for d, m, md in roles if md is not None),
    )


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
        # every page asks (the second factor, the menus): no query for it on each
        scope = page_cache.per_person(
            "coordinator-scope",
            user.pk,
            lambda: _roles_scope(user),
            "regions.CoordinatorRole",
            "regions.Municipality",
        )
    user._hilfenetz_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """The scope contract: each scoped model declares once, on its queryset, where its scope
    lies, and everything else derives from that declaration — ``coordinated_by`` and the
    other filters here, :func:`object_scope` and :func:`coordinates` for single objects (so
    the rule ``coordinates_object`` in ``core/roles.py``), the scoped admin
    (``core/admin_base.py``) and the scope stored with every history entry.

    Either name the paths to the municipality (None when the model belongs to a district
    only) and to the district, or name ``scope_parent``: the foreign key to the object whose
    scope this one shares (a contact person is in the scope of its office).
    """

    municipality_path: str | None = "municipality"
    district_path: str = "district"
    scope_parent: str | None = None

    def _parent(self):
        return self.model._meta.get_field(self.scope_parent).related_model

    def _paths(self) -> tuple[str | None, str]:
        if self.scope_parent is None:
            return self.municipality_path, self.district_path
        parent_qs = self._parent()._default_manager.get_queryset()
        municipality_path, district_path = parent_qs._paths()
        prefix = f"{self.scope_parent}__"
        return (prefix + municipality_path if municipality_path else None), prefix + district_path

    def coordinated_q(self, user) -> Q:
        """The rows ``user`` coordinates: what :func:`coordinates` answers for each of them."""
        if self.scope_parent is not None:
            parents = self._parent()._default_manager.coordinated_by(user)
            return Q(**{f"{self.scope_parent}__in": parents.values("pk")})
        return coordinator_scope(user).q(self.municipality_path, self.district_path)

    def coordinated_by(self, user):
        return self.filter(self.coordinated_q(user))

    def in_district(self, district):
        return self.filter(**{self._paths()[1]: district})

    def in_area(self, area):
        municipality_path = self._paths()[0]
        if municipality_path is None:
            return self.none()
        return self.filter(**{f"{municipality_path}__area": area})

    def in_municipality(self, municipality):
        municipality_path = self._paths()[0]
        if municipality_path is None:
            return self.none()
        return self.filter(**{municipality_path: municipality})


def _paths_of(model) -> tuple[str | None, str]:
    """The scope paths of a model: its contract's, or its own ``scope_paths`` (a district or
    a municipality, which are their own scope; ``""`` is the row itself)."""
    contract = _contract(model)
    if contract is not None:
        return model._default_manager.get_queryset()._paths()
    paths = getattr(model, "scope_paths", None)
    if paths is None:
        raise TypeError(f"{model.__name__} declares no scope (ScopedQuerySet)")
    return paths


def district_path(model) -> str:
    """The path from a row of ``model`` to its district."""
    return _paths_of(model)[1]


def coordinated_q(user, model) -> Q:
    """The rows of ``model`` that ``user`` coordinates (the query of the rule
    ``coordinates_object``)."""
    if _contract(model) is not None:
        return model._default_manager.get_queryset().coordinated_q(user)
    return coordinator_scope(user).q(*_paths_of(model))


def _contract(model) -> type[ScopedQuerySet] | None:
    manager = getattr(model, "_default_manager", None)
    queryset_class = getattr(manager, "_queryset_class", None)
    if queryset_class is not None and issubclass(queryset_class, ScopedQuerySet):
        return queryset_class
    return None


def _follow(obj, path: str | None) -> int | None:
    if path is None:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def scope_owner(obj):
    """The object whose scope ``obj`` shares: itself, or its declared ``scope_parent``."""
    contract = _contract(type(obj))
    while contract is not None and contract.scope_parent:
        obj = getattr(obj, contract.scope_parent)
        contract = _contract(type(obj))
    return obj


def object_scope(obj) -> tuple[int | None, int | None]:
    """(municipality id, district id) an object belongs to, from its scope contract (or its
    own ``scope_keys()`` when one municipality does not describe it: a district, a
    municipality, a shared office)."""
    obj = scope_owner(obj)
    if hasattr(obj, "scope_keys"):
        return obj.scope_keys()
    contract = _contract(type(obj))
    if contract is None:
        raise TypeError(f"{type(obj).__name__} declares no scope (ScopedQuerySet)")
    municipality_id = _follow(obj, contract.municipality_path)
    district_id = _follow(obj, contract.district_path)
    if district_id is None and municipality_id is not None:  # e.g. a municipal coordinator role
        district_id = _follow(obj, f"{contract.municipality_path}__district")
    return municipality_id, district_id


def coordinates(user, obj) -> bool:
    """Whether ``user`` coordinates ``obj`` (an object serving several municipalities tells
    them by ``scope_municipality_ids()``)."""
    scope = coordinator_scope(user)
    if scope.everything:
        return True
    if scope.is_empty:
        return False
    owner = scope_owner(obj)
    municipality_id, district_id = object_scope(owner)
    if hasattr(owner, "scope_municipality_ids"):
        municipality_ids = set(owner.scope_municipality_ids())
    else:
        municipality_ids = {municipality_id} - {None}
    if district_id in scope.district_ids:
        return True
    return bool(scope.municipality_ids & municipality_ids)
