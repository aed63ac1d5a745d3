"""The Redis database a test process uses: one of its own for each parallel test worker, so
that one worker emptying it never empties another's (Redis has databases 0 to 15)."""

import os

import pytest

HOST = "127.0.0.1:6379"
MISSING = f"no Redis at {HOST} (scripts/ensure-system-packages installs and starts it)"


def redis_url() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"redis://{HOST}/{15 - int(worker)}"


def redis_reachable() -> bool:
    import redis

    try:
        redis.Redis.from_url(redis_url(), socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def skip_without_redis():
    if not redis_reachable():
        pytest.skip(MISSING)
