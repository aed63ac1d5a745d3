"""One JSON line per request (logger ``hilfenetz.requests``) and the request figures of
core/metrics.py.

The line names the person's role, never who they are. The request id is returned as
``X-Request-ID``; a sane one sent by a proxy in front is kept, so both logs can be joined.
"""

import json
import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.db import connections

from hilfenetz.core import metrics
from hilfenetz.core.outage import DATABASE_ERRORS, database_unavailable
from hilfenetz.core.scoping import coordinator_scope

logger = logging.getLogger("hilfenetz.requests")

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
HEADER = "X-Request-ID"
# Any other method is counted as "other", so a client cannot invent new series.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_id(request) -> str:
    offered = request.headers.get(HEADER, "")
    return offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def role(request) -> str:
    """The role a request acts in: anonymous, person, coordinator or administrator; "unknown"
    when the database is away, as the user is loaded lazily from the session and this runs
    outside the outage middleware, so an error here would replace its maintenance page."""
    if database_unavailable(request):
        return "unknown"
    try:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return "anonymous"
        if user.is_superuser:
            return "administrator"
        # kept on the user by the request's own permission checks, or one small query
        return "person" if coordinator_scope(user).is_empty else "coordinator"
    except DATABASE_ERRORS:
        # the database went away after the response was made: that response still goes out
        return "unknown"


class QueryTimer:
    """Adds up the time of the queries run through it (a connection's execute wrapper)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id(request)
        timer = QueryTimer()
        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(timer))
            response = self.get_response(request)
        duration = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unresolved"
        method = request.method if request.method in METHODS else "other"
        metrics.REQUESTS.labels(view, method, str(response.status_code)).inc()
        metrics.LATENCY.labels(view).observe(duration)
        metrics.DB_TIME.labels(view).inc(timer.seconds)
        response[HEADER] = request.request_id
        logger.info(
            json.dumps(
                {
                    "request_id": request.request_id,
                    "role": role(request),
                    "method": method,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "db_ms": round(timer.seconds * 1000, 1),
                }
            )
        )
        return response
