"""Sessions: in the database, held by the shared cache for a bounded time."""

import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from hilfenetz.core.sessions import CACHED_SECONDS, SessionStore

pytestmark = pytest.mark.django_db


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_the_shared_cache_holds_a_session_no_longer_than_the_bound():
    cache = caches["default"]
    session = SessionStore()
    session["seen"] = "yes"
    session.set_expiry(14 * 24 * 3600)
    session.save()
    # LocMemCache keeps each key's deadline; the session's own expiry is two weeks
    deadline = cache._expire_info[cache.make_and_validate_key(session.cache_key)]
    assert deadline - time.time() <= CACHED_SECONDS
    assert SessionStore(session.session_key)["seen"] == "yes"

    cache.clear()  # after the bound: read from the database again
    assert SessionStore(session.session_key)["seen"] == "yes"


def test_a_deleted_session_is_gone_from_the_cache_and_the_database():
    session = SessionStore()
    session["seen"] = "yes"
    session.save()
    SessionStore().delete(session.session_key)
    assert "seen" not in SessionStore(session.session_key)
