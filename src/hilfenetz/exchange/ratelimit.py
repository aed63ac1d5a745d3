"""A small cache-based rate limiter: at most ``limit`` actions per ``period`` seconds."""

import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIMITS = {
    "post": (10, 3600),
    "answer": (30, 3600),
    "report": (10, 3600),
}


class RateLimited(ValidationError):
    status_code = 429  # the API's answer (core/api_errors.py)


def check(action: str, user) -> None:
    """Count one ``action`` of ``user``; raise :class:`RateLimited` when over the limit."""
    limit, period = LIMITS[action]
    hit(f"exchange-rl:{action}:{user.pk}", limit, period)


def hit(key: str, limit: int, period: int) -> None:
    """Count one action under ``key`` (a person, an address); raise :class:`RateLimited` when
    there were more than ``limit`` in the current ``period`` seconds."""
    key = _window_key(key, period)
    # The cache is shared by all workers (settings.CACHES); the database cache's incr is not
    # atomic, so simultaneous requests may slip a few over the limit, never many.
    if cache.add(key, 1, period + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, period + 5)
            count = 1
    if count > limit:
        raise RateLimited(_("You did this too often. Please try again later."))


def refuse_over(key: str, limit: int, period: int) -> None:
    """Raise :class:`RateLimited` if ``key`` reached ``limit`` in this period, without counting
    (for what counts only when it fails, such as a wrong code)."""
    if cache.get(_window_key(key, period), 0) >= limit:
        raise RateLimited(_("You did this too often. Please try again later."))


def _window_key(key: str, period: int) -> str:
    return f"{key}:{int(time.time() // period)}"
