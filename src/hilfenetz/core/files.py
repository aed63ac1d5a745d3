"""Handing out stored files (uploads) only after a view has checked who may see them.

No address serves the upload folder directly: every file kind has a view that finds the object
the way its page does (a listing's photo through the listing's visibility, minutes through the
minutes page's rule, a media file through the media item's) and then calls :func:`serve` with
the result of that check. :func:`serve` answers

- for files on the local disk: Django streams the file with range requests (core/ranges.py), or,
  with ``FILES_ACCEL`` set, only headers and the web server in front sends the file
  (``nginx``: ``X-Accel-Redirect`` to the internal location ``FILES_ACCEL_LOCATION``;
  ``sendfile``: ``X-Sendfile`` with the file's path, Apache's mod_xsendfile or lighttpd);
- for an S3-compatible store: a redirect to a signed address that expires after
  ``FILES_URL_SECONDS``, made only now, after the check.

Files anyone may see may be kept by caches for ``FILES_PUBLIC_MAX_AGE``; all others are
``private, no-store`` so that neither a shared cache nor the browser's disk keeps them.
"""

import enum
import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

from hilfenetz.core.ranges import ranged_response


class Access(enum.Enum):
    """What the view's access check found for the person asking."""

    DENIED = "denied"
    PUBLIC = "public"  # anyone may see it (e.g. the photo of a published listing)
    PRIVATE = "private"  # only some may, this person among them (minutes, drafts)


def access(allowed: bool, *, public: bool) -> Access:
    if not allowed:
        return Access.DENIED
    return Access.PUBLIC if public else Access.PRIVATE


def local_path(storage, name: str) -> str | None:
    """The file's path on this server's disk, or None for an object store."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def _disposition(filename: str, attachment: bool) -> str:
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename*=UTF-8''{quote(filename)}" if filename else kind


def _cache(response, granted: Access):
    if granted is Access.PUBLIC:
        patch_cache_control(response, public=True, max_age=settings.FILES_PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def serve(
    request,
    field_file,
    granted: Access,
    *,
    content_type: str = "",
    modified=None,
    filename: str = "",
    attachment: bool = False,
):
    """The response that hands ``field_file`` to the person asking, whom ``granted`` says may
    (or may not) see it. A denied or missing file is a 404: it does not tell that it exists."""
    if granted is Access.DENIED or not field_file:
        raise Http404
    storage, name = field_file.storage, field_file.name
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = _disposition(filename, attachment)
    path = local_path(storage, name)
    if path is None:
        # An object store answers ranges itself; its signed address is short-lived and made
        # only for someone who passed the check, and it tells the store which headers to send.
        target = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": "private, no-store"
                if granted is Access.PRIVATE
                else f"public, max-age={settings.FILES_PUBLIC_MAX_AGE}",
            },
            expire=settings.FILES_URL_SECONDS,
        )
        response = HttpResponseRedirect(target)
        # The redirect names a signed address: no cache may hand it to someone else.
        patch_cache_control(response, private=True, no_store=True)
        return response
    if not storage.exists(name):
        raise Http404
    accel = settings.FILES_ACCEL
    if accel:
        response = HttpResponse(content_type=content_type)
        if accel == "nginx":
            location = settings.FILES_ACCEL_LOCATION.rstrip("/")
            response["X-Accel-Redirect"] = f"{location}/{quote(name)}"
        else:
            response["X-Sendfile"] = path
    else:
        size = storage.size(name)
        response = ranged_response(
            request,
            storage.open(name, "rb"),
            size=size,
            content_type=content_type,
            etag=f"{name}-{size}",
            modified=modified,
        )
    response["Content-Disposition"] = disposition
    return _cache(response, granted)
