"""Answers that must work while the database is away: the maintenance page and the 500 page.

When PostgreSQL restarts or the network to it drops, every request fails somewhere: loading the
session, the user, a rate-limit count in the database cache, or the view's own queries. Django
turns each of those into a bare English "Server Error (500)". :class:`DatabaseOutageMiddleware`
sits outside the session and authentication middleware and answers instead a translated page
in the site's layout with 503 and ``Retry-After`` (so browsers, proxies and the API's clients
know to come back), and RFC 9457 problem details as JSON under ``/api/``.

These pages are rendered with :func:`minimal_context`: no context processors, no session, no
user, no query, so they render whatever is broken.
"""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.csp import get_nonce
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

from hilfenetz.core.middleware import API_PREFIX

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Set on the request when an inner layer failed for want of the database.
_OUTAGE_ATTRIBUTE = "_hilfenetz_database_unavailable"


def request_language(request) -> str:
    """The visitor's language as the locale middleware found it (the cookie or Accept-Language,
    or a logged-in person's preference if it was read before the failure), else found here
    without the database."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)


def minimal_context(request) -> dict:
    """What the layout needs, computed from the request alone."""
    return {
        "platform_name": settings.HILFENETZ_PLATFORM_NAME,
        "current_language": translation.get_language(),
        "language_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "csp_nonce": get_nonce(request),
        # the navigation reads the path only; no template here reads the session or the user
        "request": request,
    }


def render_minimal(request, template_name: str, status: int) -> HttpResponse:
    body = loader.get_template(template_name).render(minimal_context(request))
    return HttpResponse(body, status=status)


def maintenance_response(request) -> HttpResponse:
    with translation.override(request_language(request)):
        if request.path_info.startswith(API_PREFIX):
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Service Unavailable",
                    "status": 503,
                    "detail": _(
                        "The platform cannot reach its database at the moment. Please try "
                        "again in a minute."
                    ),
                    "instance": request.path,
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            response = render_minimal(request, "core/maintenance.html", 503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # an outage page must not be kept by a browser or proxy as the page itself
    response["Cache-Control"] = "no-store"
    return response


def _note_database_error(sender, request=None, **kwargs):
    """Django turns an exception of any layer into a 500 response right where it happens,
    before an outer middleware sees it; mark the request so the middleware can answer it."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, _OUTAGE_ATTRIBUTE, True)


got_request_exception.connect(_note_database_error, dispatch_uid="hilfenetz-database-outage")


def database_unavailable(request) -> bool:
    """Whether this request already found the database away: an outer layer (the request log)
    must not try it again, which would fail once more or wait out another connect timeout."""
    return getattr(request, _OUTAGE_ATTRIBUTE, False)


class DatabaseOutageMiddleware:
    """Answers the maintenance page when the database cannot be reached (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS:
            # only with DEBUG_PROPAGATE_EXCEPTIONS do exceptions get this far
            setattr(request, _OUTAGE_ATTRIBUTE, True)
        else:
            if not database_unavailable(request):
                return response
        logger.warning("Database unavailable: answered %s with 503", request.path)
        return maintenance_response(request)

    def process_exception(self, request, exception):
        # A view's error reaches here before Django logs it and mails the admins a traceback:
        # an outage is one event, not one error mail per visitor.
        if isinstance(exception, DATABASE_ERRORS):
            setattr(request, _OUTAGE_ATTRIBUTE, True)
            logger.warning("Database unavailable: answered %s with 503", request.path)
            return maintenance_response(request)
        return None
