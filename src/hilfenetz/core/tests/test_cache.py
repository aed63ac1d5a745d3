"""Pages keep working when Redis is away: the cache falls back to the database's table."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache as DjangosDatabaseCache
from django.db import connection
from django.urls import reverse
from django.utils.safestring import SafeString

from hilfenetz import settings as project_settings
from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core import cache as cache_module
from hilfenetz.core.tests.redis_for_tests import MISSING, redis_reachable, redis_url

pytestmark = pytest.mark.django_db

REDIS = redis_url()
NOBODY_LISTENS = "redis://127.0.0.1:6390/14"  # a port no Redis runs on

needs_redis = pytest.mark.skipif(not redis_reachable(), reason=MISSING)


def redis_with_fallback(location):
    return {
        "default": {
            "BACKEND": "hilfenetz.core.cache.RedisWithDatabaseFallback",
            "LOCATION": location,
            "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "database": project_settings.DATABASE_CACHE,
    }


@pytest.fixture
def use_cache(settings):
    def use(location):
        settings.CACHES = {**settings.CACHES, **redis_with_fallback(location)}
        caches["default"].close()
        # the settings change reaches the per-thread cache objects only when they are made anew
        caches._connections.__dict__.pop("default", None)
        caches._connections.__dict__.pop("database", None)
        cache_module._down_until.clear()
        return caches["default"]

    yield use
    caches._connections.__dict__.pop("default", None)
    caches._connections.__dict__.pop("database", None)
    cache_module._down_until.clear()


@needs_redis
def test_with_redis_the_values_live_in_redis(use_cache, client):
    import redis

    backend = use_cache(REDIS)
    backend.set("fallback-test", "in redis", 30)
    assert redis.Redis.from_url(REDIS).keys("*fallback-test*")
    assert caches["database"].get("fallback-test") is None
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


@needs_redis
def test_without_redis_pages_work_and_healthz_says_degraded(use_cache, client, caplog, settings):
    backend = use_cache(NOBODY_LISTENS)
    caplog.set_level(logging.WARNING, logger="hilfenetz.core.cache")
    assert client.get(reverse("exchange:list")).status_code == 200
    # the login form counts failures per address and account in the cache
    settings.ACCOUNT_RATE_LIMITS = project_settings.ACCOUNT_RATE_LIMITS
    login = {"login": "nobody@example.org", "password": "wrong-password-1"}
    assert client.post(reverse("account_login"), login).status_code == 200
    backend.set("fallback-test", "in the table", 30)
    assert backend.get("fallback-test") == "in the table"
    assert caches["database"].get("fallback-test") == "in the table"
    cache.add("fallback-test-count", 0)
    assert cache.incr("fallback-test-count") == 1
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "degraded", "tasks": "not used"},
    }
    outage_lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_lines) == 1  # one line per outage, not one per call


@needs_redis
def test_redis_is_tried_again_after_the_interval(use_cache, monkeypatch, caplog):
    backend = use_cache(NOBODY_LISTENS)
    backend.set("fallback-test", 1, 30)
    assert backend.redis_down()
    # Redis comes back at the same address; the next call after the interval uses it again
    backend._primary = type(backend._primary)(REDIS, {"OPTIONS": {}})
    assert backend.redis_down()
    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0)
    cache_module._down_until[backend._location] = 0
    caplog.set_level(logging.WARNING, logger="hilfenetz.core.cache")
    backend.set("fallback-test", "back in redis", 30)
    assert not backend.redis_down()
    assert backend._primary.get("fallback-test") == "back in redis"
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_healthz_answers_503_when_no_cache_works(client, monkeypatch):
    monkeypatch.setattr(cache_module, "probe", lambda c: "unavailable")
    monkeypatch.setattr("hilfenetz.core.views.cache_probe", lambda c: "unavailable")
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def in_process(location, entries=100):
    return cache_module.InProcessCache(location, {"OPTIONS": {"MAX_ENTRIES": entries}})


def test_the_database_cache_reads_many_keys_as_djangos_own_does(monkeypatch):
    ours = cache_module.DatabaseCache("hilfenetz_cache", {})
    djangos = DjangosDatabaseCache("hilfenetz_cache", {})
    values = {"text": "Kinderwagen", "number": 7, "versions": ("a1", "b2"), "none": None}
    ours.set_many(values, 60)
    ours.set("forever", SafeString("<b>kept</b>"), None)
    ours.set("expired", "old", 0)
    ours.set("other-version", 1, 60, version=2)
    keys = [*values, "forever", "expired", "never-set", "other-version"]
    expected = {**values, "forever": SafeString("<b>kept</b>")}
    assert ours.get_many(keys) == expected
    assert djangos.get_many(keys) == expected
    assert isinstance(ours.get("forever"), SafeString)
    assert ours.get_many(["other-version"], version=2) == {"other-version": 1}
    assert ours.get_many([]) == {}
    with connection.cursor() as cursor:  # an expired entry read is removed, as Django does
        cursor.execute(
            "SELECT COUNT(*) FROM hilfenetz_cache WHERE cache_key = %s", [ours.make_key("expired")]
        )
        assert cursor.fetchone()[0] == 0
    later = cache_module.timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(cache_module.timezone, "now", lambda: later)
    assert ours.get_many(keys) == {"forever": SafeString("<b>kept</b>")}
    assert djangos.get_many(keys) == {"forever": SafeString("<b>kept</b>")}


def test_the_in_process_cache_keeps_text_as_it_is_and_copies_the_rest():
    store = in_process("test-copies")
    text = SafeString("<li>kept</li>")
    page = (("exchange_listing",), ("a1b2",), (200, (("Content-Type", "text/html"),), b"<p>"))
    store.set("text", text)
    store.set("page", page)
    assert store.get("text") is text
    assert store.get("page") is page
    rows = [UserFactory.build(display_name="Amal")]
    store.set("rows", rows)
    store.set("entry", (("regions_area",), ("c3",), rows))
    read = store.get("rows")
    read[0].display_name = "changed"
    read.append("more")
    assert store.get("rows")[0].display_name == "Amal"
    assert len(store.get("rows")) == 1
    assert store.get("entry")[2] is not rows
    # a search's matches: its fields, its keys and whether it left out older ones
    matches = (text, tuple(range(501)), False)
    store.set("matches", matches)
    assert store.get("matches") is matches
    deep = (text, (1, (2, [3])))
    store.set("deep", deep)
    assert store.get("deep") == deep
    assert store.get("deep") is not deep


def test_the_in_process_cache_drops_the_least_recently_used_and_the_expired(monkeypatch):
    store = in_process("test-lru", entries=3)
    for key in "abc":
        store.set(key, key)
    assert store.get("a") == "a"  # used: "b" is now the least recently used
    store.set("d", "d")
    assert [store.get(key) for key in "abcd"] == ["a", None, "c", "d"]
    now = cache_module.time.time()
    store.set("soon", "gone", timeout=10)
    assert store.add("soon", "again") is False
    monkeypatch.setattr(cache_module.time, "time", lambda: now + 11)
    assert store.get("soon") is None
    assert store.add("soon", "again") is True
    assert store.touch("soon", timeout=None) is True
    monkeypatch.setattr(cache_module.time, "time", lambda: now + 10_000)
    assert store.get("soon") == "again"
    assert store.delete("soon") is True
    assert store.get("soon", "missing") == "missing"


def test_the_in_process_cache_is_shared_by_the_threads_of_a_process():
    first, second = in_process("test-shared"), in_process("test-shared")
    first.set("key", "value")
    assert second.get("key") == "value"
    second.clear()
    assert first.get("key") is None
    assert in_process("test-other").get("key") is None
