"""The shared cache: Redis, and the database's cache table while Redis is away.

Rate limits and kept counts live in the default cache; when Redis stopped, every page that
counts something answered 500. :class:`RedisWithDatabaseFallback` sends each call to Redis and,
when Redis fails, to the ``hilfenetz_cache`` table instead. It logs one line when an outage
begins and one when it ends, and tries Redis again every ``RETRY_SECONDS`` (not on every call:
a refused connection costs little, a host that does not answer costs the connect timeout).
Counts made during an outage stay in the table; they restart in Redis afterwards.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
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
