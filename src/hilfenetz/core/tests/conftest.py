"""The access matrix's world, shared by the tests that walk the matrix (access, query ceiling)."""

import copy
import itertools

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from hilfenetz.core.tests.access import build_world
from hilfenetz.exchange.models import Conversation, Pledge
from hilfenetz.exchange.models import Status as ListingStatus
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.media.models import Status as MediaStatus
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.network.models import MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory


@pytest.fixture(scope="module")
def shared_media(tmp_path_factory):
    """Uploads of the world live as long as the world."""
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, shared_media):
    """The world, built once for all cases of this module inside a transaction that is rolled
    back when the module is done, so no other test sees it. Each case runs in a savepoint of
    that transaction (the ``db`` fixture) and is rolled back, so a POST does not leak into the
    next case."""
    with override_settings(MEDIA_ROOT=shared_media), django_db_blocker.unblock():
        block = transaction.atomic()
        block._from_testcase = True  # like Django's TestCase: services may use durable blocks
        with block:
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, shared_media, db, settings):
    settings.MEDIA_ROOT = shared_media
    cache.clear()  # rate limits and cached memberships of the previous case
    # A copy, so a case that changes an object of the world in memory does not change it for
    # the next one (the database is rolled back, the objects are not).
    return copy.deepcopy(shared_world)


@pytest.fixture
def variety(world):
    """Objects in every status, of every kind of owner, here, in the district and beyond, on
    top of the matrix's world."""
    users = world.users
    places = (world.here, world.other, world.foreign)
    authors = (users["person"], users["org_member"], users["coordinator_here"])
    for status, place, author, of_organisation in itertools.product(
        ListingStatus, places, authors, (False, True)
    ):
        listing = ListingFactory(
            status=status,
            municipality=place,
            author=author,
            organisation=world.organisation if of_organisation else None,
        )
        if status == ListingStatus.FULFILLED and author == users["person"]:
            Pledge.objects.create(listing=listing, helper=users["org_admin"], quantity=1)
        if status == ListingStatus.EXPIRED:
            Conversation.objects.create(listing=listing, helper=users["person"])
    for status, place, creator, of_organisation in itertools.product(
        MediaStatus, places, (users["person"], users["org_member"], None), (False, True)
    ):
        MediaItemFactory(
            status=status,
            district=place.district,
            municipality=place if place != world.other else None,
            created_by=creator,
            organisation=world.organisation if of_organisation else None,
        )
    for status, place, organiser in itertools.product(
        MeetingStatus, places, (users["coordinator_here"], users["person"])
    ):
        MeetingFactory(status=status, municipality=place, organisers=[organiser])
