"""Riding out a database outage in the long-running processes (task workers, scheduler).

Without this they exit on the first database error, are restarted every few seconds by
``scripts/serve`` and write a full traceback each time. Instead they wait, probing the database
with a growing pause (up to :data:`MAX_DELAY`), and log one line when the outage starts and one
when it ends.
"""

import logging
from time import monotonic, sleep

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger("hilfenetz.outage")

# What a lost or unreachable database raises (psycopg: server gone, connection closed).
ERRORS = (OperationalError, InterfaceError)
FIRST_DELAY = 0.5
MAX_DELAY = 10.0


def database_available() -> bool:
    """Whether every configured database answers a trivial query (on a fresh connection)."""
    for connection in connections.all():
        try:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return False
    return True


def wait_for_database(who: str, error: BaseException) -> float:
    """Block until the database answers again; return how long it was away (seconds)."""
    started = monotonic()
    logger.warning("%s: database unavailable (%s: %s); waiting", who, type(error).__name__, error)
    delay = FIRST_DELAY
    while True:
        sleep(delay)
        if database_available():
            break
        delay = min(delay * 2, MAX_DELAY)
    away = monotonic() - started
    logger.warning("%s: database available again after %.0f s", who, away)
    return away
