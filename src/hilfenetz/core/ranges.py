"""Serving stored files with HTTP range requests (RFC 9110 §14), so that audio and video can be
seeked in the browser when files are on the local disk (development, tests, small servers).
Used by core/files.py; with an S3-compatible store the store itself answers ranges."""

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, quote_etag

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def requested_range(header: str, size: int):
    """``(start, end)`` inclusive for a single satisfiable range, ``None`` to send everything,
    or ``False`` when the range cannot be satisfied."""
    match = _RANGE.match((header or "").strip())
    if not match:
        return None  # absent, several ranges or another unit: the whole file is fine
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _chunks(fileobj, start: int, length: int):
    try:
        fileobj.seek(start)
        remaining = length
        while remaining > 0:
            data = fileobj.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        fileobj.close()


def ranged_response(request, fileobj, *, size: int, content_type: str, etag: str, modified):
    """A 200, 206 or 416 response for ``fileobj`` (opened, seekable, closed when sent)."""
    etag = quote_etag(etag)
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range and if_range != etag:
        header = ""  # the file changed since the client's first part: send it whole
    span = requested_range(header, size) if request.method in ("GET", "HEAD") else None
    if span is False:
        fileobj.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif span is None:
        response = StreamingHttpResponse(_chunks(fileobj, 0, size), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = span
        response = StreamingHttpResponse(
            _chunks(fileobj, start, end - start + 1), content_type=content_type, status=206
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response
