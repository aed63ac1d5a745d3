"""The role x URL x scope access matrix, shared by every app.

Each app lists its URLs in ``<app>/tests/access_cases.py`` as ``CASES`` (a list of
:class:`Case`) and may add objects to the shared :class:`World` with ``extend_world(world)``.
``core/tests/test_access_matrix.py`` runs every case for every role and fails for any URL of
the project that no case covers.

A POST case says what it changes with ``effect=Effect(read, after, roles)``: the matrix reads
the state before and after the request, wants ``after`` for the roles that may do it and no
change at all for everyone else (see :class:`Effect`).
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import hilfenetz
from hilfenetz.accounts.models import MembershipRole
from hilfenetz.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    coordinator_of,
)
from hilfenetz.regions.tests.factories import AreaFactory, DistrictFactory, MunicipalityFactory

ROLES = (
    "anonymous",
    "person",
    "org_member",
    "org_admin",
    "coordinator_here",
    "coordinator_other",
    "district_coordinator",
    "administrator",
)
LOGIN = "login"  # anonymous people are sent to the login page


@dataclass
class World:
    """Objects every case can refer to. ``here`` is the municipality the objects belong to;
    ``other`` is another municipality of the same district; ``foreign`` one of another district."""

    district: object
    here: object
    other: object
    foreign: object
    organisation: object
    users: dict
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Effect:
    """What a request changes, checked around it for every role.

    ``read(world)`` returns the state the request may change: a count, a field, a tuple of
    both; read it fresh from the database, not from the objects of the world. For each role in
    ``roles`` the state afterwards must equal ``after`` (a value, or a function of the state
    before, e.g. ``lambda n: n + 1``) and must not have equalled it before, so the check can
    fail. For every other role the state must be unchanged. ``roles=None`` means the roles the
    case expects to be redirected (302), the answer to a successful POST.
    """

    read: Callable[[World], object]
    after: object = None
    roles: Iterable[str] | None = None

    def roles_for(self, case: "Case") -> frozenset:
        if self.roles is None:
            return frozenset(role for role in ROLES if case.expect[role] == 302)
        return frozenset(self.roles)

    def wanted(self, before):
        return self.after(before) if callable(self.after) else self.after


def unchanged(read: Callable[[World], object]) -> Effect:
    """An effect no role may cause (an invalid form, a forged token, someone else's object)."""
    return Effect(read, roles=())


@dataclass
class Case:
    url_name: str
    path: Callable[[World], str]
    expect: dict
    method: str = "GET"
    data: Callable[[World], dict] | None = None
    label: str = ""
    effect: Effect | None = None

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"{self.url_name}: no expectation for {sorted(missing)}")
        if self.effect is not None and self.effect.roles is not None:
            unknown = set(self.effect.roles) - set(ROLES)
            if unknown:
                raise ValueError(f"{self.url_name}: effect for unknown roles {sorted(unknown)}")

    @property
    def id(self):
        return f"{self.method} {self.url_name}{(' ' + self.label) if self.label else ''}"


def expect(default, **overrides) -> dict:
    """``expect(200, anonymous=LOGIN)``: the same answer for every role but the ones named."""
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return {role: overrides.get(role, default) for role in ROLES}


def case_modules():
    for info in pkgutil.iter_modules(hilfenetz.__path__):
        try:
            yield importlib.import_module(f"hilfenetz.{info.name}.tests.access_cases")
        except ModuleNotFoundError as exc:
            if not exc.name.startswith(f"hilfenetz.{info.name}.tests"):
                raise


def all_cases() -> list[Case]:
    return [case for module in case_modules() for case in module.CASES]


def build_world() -> World:
    district = DistrictFactory(name="Landkreis Beispiel", slug="landkreis-beispiel")
    area_here = AreaFactory(district=district, name="Nord", slug="nord")
    area_other = AreaFactory(district=district, name="Süd", slug="sued")
    here = MunicipalityFactory(area=area_here, name="Hierdorf", slug="hierdorf")
    other = MunicipalityFactory(area=area_other, name="Anderstadt", slug="anderstadt")
    foreign = MunicipalityFactory(
        area=AreaFactory(district=DistrictFactory(name="Landkreis Fern", slug="landkreis-fern")),
        name="Fernheim",
        slug="fernheim",
    )
    organisation = OrganisationFactory(
        municipality=here, name="Helferkreis Hierdorf", slug="hk-hierdorf"
    )
    users = {
        "anonymous": None,
        "person": UserFactory(display_name="Person"),
        "org_member": MembershipFactory(organisation=organisation).user,
        "org_admin": MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN).user,
        "coordinator_here": coordinator_of(municipality=here),
        "coordinator_other": coordinator_of(municipality=other),
        "district_coordinator": coordinator_of(district=district),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    world = World(
        district=district,
        here=here,
        other=other,
        foreign=foreign,
        organisation=organisation,
        users=users,
    )
    for module in case_modules():
        extend = getattr(module, "extend_world", None)
        if extend:
            extend(world)
    return world
