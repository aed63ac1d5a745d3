"""Run a service from several threads at once, as concurrent requests would, on SQLite and
PostgreSQL alike (for the tests of row locks)."""

import threading
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection


def _attempt(target, args):
    """Run the service; on the in-memory SQLite test database (shared cache) a competing
    BEGIN IMMEDIATE fails at once with "database table is locked" instead of waiting for the
    busy timeout as a file database does, so try that whole transaction again."""
    for _ in range(500):
        try:
            return target(*args)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.005)
    raise AssertionError("could not get the write lock")


def run_in_threads(target, args_list):
    """Call ``target(*args)`` for each ``args`` in its own thread, all released at once.
    Returns the results and the refusals (ValidationError, PermissionDenied)."""
    errors, results = [], []
    barrier = threading.Barrier(len(args_list))

    def run(args):
        try:
            barrier.wait()
            results.append(_attempt(target, args))
        except (ValidationError, PermissionDenied) as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
