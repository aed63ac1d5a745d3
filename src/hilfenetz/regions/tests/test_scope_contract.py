"""One declaration of each model's scope; querysets, rules and the history derive from it."""

import pytest
from django.db.models import Q

from hilfenetz.accounts.models import Membership
from hilfenetz.accounts.tests.factories import MembershipFactory, coordinator_of
from hilfenetz.core.predicates import allowed
from hilfenetz.core.roles import coordinates_object
from hilfenetz.core.scoping import Scope, object_scope
from hilfenetz.directory.models import ContactPerson, TeamMember
from hilfenetz.directory.tests.factories import (
    ContactFactory,
    OfficeFactory,
    TeamFactory,
    TeamMemberFactory,
)
from hilfenetz.regions.models import CoordinatorRole
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_objects_in_the_scope_of_a_parent_follow_it():
    here, there = MunicipalityFactory(), MunicipalityFactory()
    office = OfficeFactory(district=here.district, municipalities=[here])
    contact = ContactFactory(office=office)
    membership = MembershipFactory(organisation__municipality=here)
    assert object_scope(contact) == (here.pk, here.district_id)
    assert object_scope(membership) == (here.pk, here.district_id)

    mine, theirs = coordinator_of(municipality=here), coordinator_of(municipality=there)
    assert list(ContactPerson.objects.coordinated_by(mine)) == [contact]
    assert not ContactPerson.objects.coordinated_by(theirs).exists()
    assert list(Membership.objects.coordinated_by(mine)) == [membership]
    assert not Membership.objects.coordinated_by(theirs).exists()
    assert coordinates_object(mine, contact) and not coordinates_object(theirs, contact)


def test_a_shared_office_is_coordinated_from_each_municipality_it_serves():
    here, next_door = MunicipalityFactory(), MunicipalityFactory()
    shared = OfficeFactory(district=here.district, municipalities=[here, next_door])
    contact = ContactFactory(office=shared)
    neighbour = coordinator_of(municipality=next_door)
    assert object_scope(contact) == (None, here.district_id)
    assert coordinates_object(neighbour, contact)
    assert list(ContactPerson.objects.coordinated_by(neighbour)) == [contact]
    assert not coordinates_object(coordinator_of(municipality=MunicipalityFactory()), contact)


def test_team_members_belong_to_the_district_coordinators():
    team = TeamFactory()
    member = TeamMemberFactory(team=team)
    district_coordinator = coordinator_of(district=team.district)
    municipal = coordinator_of(municipality=MunicipalityFactory(area__district=team.district))
    assert list(TeamMember.objects.coordinated_by(district_coordinator)) == [member]
    assert not TeamMember.objects.coordinated_by(municipal).exists()
    assert allowed("directory.team.edit", district_coordinator, member)
    assert not allowed("directory.team.edit", municipal, member)


def test_a_municipal_role_lies_in_its_municipalitys_district():
    place = MunicipalityFactory()
    role = CoordinatorRole.objects.get(user=coordinator_of(municipality=place))
    assert object_scope(role) == (place.pk, place.district_id)
    assert coordinates_object(coordinator_of(district=place.district), role)


def test_a_model_without_a_declared_scope_is_refused():
    with pytest.raises(TypeError, match="declares no scope"):
        object_scope(object())


def test_a_scope_asks_only_for_what_it_holds():
    """An empty "IN ()" selects nothing, but costs its compilation in every query."""
    here, district = frozenset({1}), frozenset({2})
    assert Scope(municipality_ids=here).q() == Q(municipality_id__in=here)
    assert Scope(district_ids=district).q(None) == Q(district_id__in=district)
    assert Scope(municipality_ids=here).q(None) == Q(pk__in=[])
    assert Scope().q() == Q(pk__in=[])
