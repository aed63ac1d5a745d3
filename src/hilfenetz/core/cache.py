"""The shared cache: Redis, and the database's cache table while Redis is away.

Rate limits and kept counts live in the default cache; when Redis stopped, every page that
counts something answered 500. :class:`RedisWithDatabaseFallback` sends each call to Redis and,
when Redis fails, to the ``hilfenetz_cache`` table instead. It logs one line when an outage
begins and one when it ends, and tries Redis again every ``RETRY_SECONDS`` (not on every call:
a refused connection costs little, a host that does not answer costs the connect timeout).
Counts made during an outage stay in the table; they restart in Redis afterwards.

Without Redis the table is the shared cache itself (:class:`DatabaseCache`).

What each worker keeps for itself (``page_cache.STORES``: pages, fragments, people…) lives in
:class:`InProcessCache` instead, in the process's own memory.
"""

import base64
import logging
import pickle
import threading
import time
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router
from django.utils import timezone
from django.utils.safestring import SafeString
from redis.exceptions import RedisError

from hilfenetz.core.reporting import mask_credentials

logger = logging.getLogger(__name__)

RETRY_SECONDS = 15
CACHE_ERRORS = (RedisError, OSError)
PROBE_KEY = "hilfenetz:healthz"

# Redis address -> monotonic time before which it is not tried again. Shared by the threads of
# a process (Django makes one cache object per thread), so an outage is logged once.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache, reading many keys with their expiry checked by the query. Each
    request reads its session and its 20-odd data versions in one ``get_many``; Django's own
    converts every row's expiry into a datetime in Python, which cost more than the query."""

    def get_many(self, keys, version=None):
        if not keys:
            return {}
        # make_key, not make_and_validate_key: its warnings are about memcached's rules
        key_map = {self.make_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('cache_key')}, {quote_name('value')}, "  # noqa: S608
                f"{quote_name('expires')} < %s FROM {quote_name(self._table)} "
                f"WHERE {quote_name('cache_key')} IN ({', '.join(['%s'] * len(key_map))})",
                [now, *key_map],
            )
            rows = cursor.fetchall()
        result, expired = {}, []
        for key, value, has_expired in rows:
            if has_expired:
                expired.append(key)
            else:
                result[key_map[key]] = pickle.loads(base64.b64decode(value.encode()))  # noqa: S301
        self._base_delete_many(expired)
        return result


class RedisWithDatabaseFallback(BaseCache):
    """OPTIONS: ``FALLBACK`` (the alias of the database cache); the rest goes to Redis."""

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("FALLBACK")
        self._location = server
        self._primary = RedisCache(server, {**params, "OPTIONS": options})

    @property
    def _fallback(self):
        return caches[self._fallback_alias]

    def redis_down(self) -> bool:
        return _down_until.get(self._location, 0) > time.monotonic()

    def _failed(self, exc: Exception) -> None:
        with _lock:
            first = self._location not in _down_until
            _down_until[self._location] = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "Redis at %s is unreachable (%s): using the database cache, retrying every %s s",
                mask_credentials(self._location),
                exc,
                RETRY_SECONDS,
            )

    def _answered(self) -> None:
        if self._location in _down_until:
            with _lock:
                back = _down_until.pop(self._location, None) is not None
            if back:
                logger.warning("Redis at %s answers again", mask_credentials(self._location))

    def _call(self, method: str, *args, **kwargs):
        if not self.redis_down():
            try:
                result = getattr(self._primary, method)(*args, **kwargs)
            except CACHE_ERRORS as exc:
                self._failed(exc)
            else:
                self._answered()
                return result
        return getattr(self._fallback, method)(*args, **kwargs)

    def probe(self) -> str:
        """For /healthz: "ok" (Redis answers), "degraded" (the database cache serves) or
        "unavailable"; tries Redis now, whatever the retry interval says."""
        try:
            self._primary.set(PROBE_KEY, 1, 30)
            self._primary.get(PROBE_KEY)
        except CACHE_ERRORS as exc:
            self._failed(exc)
        else:
            self._answered()
            return "ok"
        return "degraded" if probe(self._fallback) == "ok" else "unavailable"

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        self._primary.close(**kwargs)


def probe(cache) -> str:
    """Whether ``cache`` stores and reads a value: "ok", "degraded" or "unavailable"."""
    if isinstance(cache, RedisWithDatabaseFallback):
        return cache.probe()
    try:
        cache.set(PROBE_KEY, 1, 30)
        cache.get(PROBE_KEY)
    except Exception:  # noqa: BLE001 - any failure of the backend means it cannot serve
        return "unavailable"
    return "ok"


# Kept as they are by InProcessCache: nothing a reader could change.
_FROZEN_TYPES = frozenset({str, SafeString, bytes, int, float, bool, type(None)})


def _frozen(value) -> bool:
    if isinstance(value, tuple):
        # the items' types gathered in C first: a search's 501 keys were 501 calls here (38 µs)
        if set(map(type, value)) <= _FROZEN_TYPES:
            return True
        return all(_frozen(item) for item in value if type(item) not in _FROZEN_TYPES)
    return type(value) in _FROZEN_TYPES


# LOCATION -> (entries, lock), shared by the threads of a process like LocMemCache's storage:
# each entry is key -> (expiry or None, whether pickled, value), most recently used last.
_stores: dict[str, tuple[OrderedDict, threading.Lock]] = {}


class InProcessCache(BaseCache):
    """The process's own memory, for what ``page_cache`` keeps per worker (its ``STORES``).
    Unlike Django's LocMemCache, text, bytes, numbers and tuples of them are kept as
    they are, not pickled: a list page reads 20-30 kept fragments, and copying each one through
    pickle cost more than finding it. Anything else (model instances, lists) is pickled as
    LocMemCache does, so that no request changes what another one reads. When full, the least
    recently used entry goes (LocMemCache drops a third of all entries). Keys are not checked
    for memcached's limits: this cache never leaves the process."""

    def __init__(self, name, params):
        super().__init__(params)
        self._entries, self._lock = _stores.setdefault(name, (OrderedDict(), threading.Lock()))

    def _live(self, key):
        """The entry of ``key`` if it has not expired (call with the lock held)."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] is not None and entry[0] <= time.time():
            del self._entries[key]
            return None
        return entry

    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return default
            self._entries.move_to_end(key)
        _expiry, pickled, value = entry
        return pickle.loads(value) if pickled else value  # noqa: S301 - pickled here

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key, entry = self.make_key(key, version=version), self._entry(value, timeout)
        with self._lock:
            self._put(key, entry)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key, entry = self.make_key(key, version=version), self._entry(value, timeout)
        with self._lock:
            if self._live(key) is not None:
                return False
            self._put(key, entry)
            return True

    def _entry(self, value, timeout) -> tuple:
        pickled = not _frozen(value)
        stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if pickled else value
        return self.get_backend_timeout(timeout), pickled, stored

    def _put(self, key, entry) -> None:
        """Store ``entry`` as the most recently used (call with the lock held)."""
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._entries[key] = (self.get_backend_timeout(timeout), *entry[1:])
            return True

    def delete(self, key, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            return self._entries.pop(key, None) is not None

    def clear(self):
        with self._lock:
            self._entries.clear()
