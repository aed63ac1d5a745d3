"""Sessions in the database, read through the shared cache: a person's request reads its session
in the round trip that reads the data versions (``page_cache.read_with_versions``), not in a
query of its own."""

from django.contrib.sessions.backends import cached_db

from hilfenetz.core import page_cache

# How long the shared cache holds a session before it is read from the database again. An end
# of a session (logout, an erased account) that reached only the database while Redis was away
# cannot come back with Redis for longer than this.
CACHED_SECONDS = 60


class _Bounded:
    """The shared cache, with what is set kept at most ``CACHED_SECONDS``."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None, version=None):
        timeout = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        return self._cache.set(key, value, timeout, version=version)

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def __contains__(self, key):
        return key in self._cache


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _Bounded(self._cache)

    def load(self):
        data = page_cache.read_with_versions(self.cache_key) if self.session_key else None
        return data if data is not None else super().load()
