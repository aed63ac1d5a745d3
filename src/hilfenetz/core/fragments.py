"""Rendered HTML kept in each process for a short time.

For fragments that show reference data only (categories, places: they change a few times a
year), where a minute of delay after a change goes unnoticed. Never for anything that shows a
person's data. Keys name everything a fragment shows, the language first."""

import threading
import time

_ALL = []


class FragmentCache:
    def __init__(self, lifetime: float, max_entries: int = 1000):
        self.lifetime = lifetime
        self.max_entries = max_entries
        self._entries = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def get_or_render(self, key, render):
        """The fragment kept under ``key``, or ``render()`` (kept for ``lifetime`` seconds)."""
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        html = render()
        with self._lock:
            if len(self._entries) >= self.max_entries:  # free text in keys: stay bounded
                self._entries.pop(next(iter(self._entries)))  # the oldest
            self._entries[key] = (now + self.lifetime, html)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all() -> None:
    """Forget every fragment of this process (tests: primary keys are reused)."""
    for cache in _ALL:
        cache.clear()
