"""Refuse input that no database column can hold before any view, form or API sees it.

PostgreSQL cannot store a NUL byte, and no database can store half of a UTF-16 surrogate pair
(JSON may carry one as ``\\ud800``); either would fail deep inside the driver with a server
error. Query strings, form fields and JSON bodies are checked here, once for every app.

Uploads with a long file name reach their form: Django reads at most 1 KiB of a part's
headers and refuses the whole form (a bare 400, every entered value lost) for a file named
with some 950 characters. :func:`allow_long_upload_names` raises that limit; the form then
handles the name (stored names are random, or the form says the name is too long). A form
that still cannot be read gets a page that says why.
"""

import json
import re
from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse, multipartparser
from django.shortcuts import render
from django.utils.translation import gettext as _

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The headers of one part of a form: a file name of 2,000 characters in any script fits.
UPLOAD_PART_HEADER_BYTES = 16 * 1024


def allow_long_upload_names() -> None:
    multipartparser.MAX_TOTAL_HEADER_SIZE = UPLOAD_PART_HEADER_BYTES


def unstorable(value) -> bool:
    """Whether ``value`` (a string, or JSON data) holds a character no database can store."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(unstorable(key) or unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(unstorable(item) for item in value)
    return False


API_PREFIX = "/api/"


def _refused(request) -> bool:
    if unstorable(request.path_info):
        return True
    if request.content_type == "application/json":
        try:
            return bool(request.body) and unstorable(json.loads(request.body))
        except ValueError:
            return False  # malformed JSON: the API answers it with its own 400
    forms = [request.GET]
    # The API reads its (JSON) bodies itself; parsing them as a form here would consume them.
    if request.method == "POST" and not request.path_info.startswith(API_PREFIX):
        forms.append(request.POST)
    return any(unstorable(key) or unstorable(data.getlist(key)) for data in forms for key in data)


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = _refused(request)
        except multipartparser.MultiPartParserError:
            return render(
                request,
                "core/bad_request.html",
                {
                    "message": _(
                        "The form could not be read, perhaps because the name of a file is "
                        "too long. Please give the file a shorter name and try again."
                    )
                },
                status=400,
            )
        if not refused:
            return self.get_response(request)
        message = _(
            "The request contains characters that cannot be stored (a NUL byte or half of a "
            "Unicode character). Please remove them and try again."
        )
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "core/bad_request.html", {"message": message}, status=400)


DRAFT_CONFIRMATION_COOKIE = "hilfenetz_saved"


class DraftConfirmationMiddleware:
    """Tells drafts.js that a form was saved: a POST answered with a redirect (the form was
    accepted) sets a short-lived cookie with the path it was sent to, and the next page's
    script removes the draft it kept for that form. An error page or a form shown again with
    its errors sets nothing, so the draft stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and 300 <= response.status_code < 400:
            response.set_cookie(
                DRAFT_CONFIRMATION_COOKIE,
                quote(request.path, safe=""),
                max_age=120,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=False,  # read by drafts.js; it holds a path of this site, nothing else
            )
        return response
