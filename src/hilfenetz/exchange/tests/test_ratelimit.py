"""Rate limits hold across web workers: every worker process counts in the same store."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from hilfenetz.core.tests.redis_for_tests import redis_url, skip_without_redis

PROJECT = Path(__file__).resolve().parents[4]

# One web worker: count `tries` posts of one person, print how many were allowed.
WORKER = """
import sys, django
django.setup()
from hilfenetz.exchange import ratelimit
person = type("Person", (), {"pk": sys.argv[2]})()
allowed = 0
for _ in range(int(sys.argv[1])):
    try:
        ratelimit.check("post", person)
    except ratelimit.RateLimited:
        break
    allowed += 1
print(allowed)
"""


@pytest.mark.parametrize("store", ["database", "redis"])
def test_two_worker_processes_share_one_limit(store, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT / "src"),
        "DJANGO_SETTINGS_MODULE": "hilfenetz.settings",
        "HILFENETZ_VAR_DIR": str(tmp_path),
    }
    if store == "redis":
        skip_without_redis()
        env["REDIS_URL"] = redis_url()
    else:
        subprocess.run(  # noqa: S603 - the project's own manage.py
            [sys.executable, PROJECT / "manage.py", "migrate", "core", "-v", "0"],
            env=env,
            check=True,
            cwd=PROJECT,
            timeout=120,
        )

    from hilfenetz.exchange.ratelimit import LIMITS

    limit, _period = LIMITS["post"]
    person = uuid.uuid4().hex  # a key no earlier run has counted
    first = limit // 2 + 1

    def worker(tries):
        result = subprocess.run(  # noqa: S603 - the test's own worker code
            [sys.executable, "-c", WORKER, str(tries), person],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT,
            timeout=120,
        )
        return int(result.stdout.split()[-1])

    assert worker(first) == first
    assert worker(limit) == limit - first
