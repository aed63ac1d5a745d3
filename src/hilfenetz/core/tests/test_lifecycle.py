from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hilfenetz.core import lifecycle
from hilfenetz.exchange.models import Status
from hilfenetz.exchange.tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_a_first_time_is_recorded_once():
    listing = ListingFactory(status=Status.PENDING, published_at=None)
    now = timezone.now()
    assert lifecycle.transition(listing, Status.PUBLISHED, first={"published_at": now}) == (
        Status.PENDING
    )
    listing.refresh_from_db()
    first = listing.published_at
    assert listing.status == Status.PUBLISHED and first == now
    lifecycle.transition(listing, Status.WITHDRAWN)
    later = now + timedelta(days=3)
    lifecycle.transition(listing, Status.PUBLISHED, first={"published_at": later})
    listing.refresh_from_db()
    assert listing.published_at == first


def test_a_lock_reads_only_the_objects_it_is_asked_for():
    listing = ListingFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert lifecycle.locked(listing).pk == listing.pk
        assert lifecycle.locked(listing, "municipality").municipality == listing.municipality
    alone, joined = (q["sql"] for q in queries)
    assert "JOIN" not in alone
    assert "JOIN" in joined
