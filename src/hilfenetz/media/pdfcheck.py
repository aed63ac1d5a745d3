"""Open a PDF in a separate process with a memory and CPU limit: ``python -m
hilfenetz.media.pdfcheck < file.pdf`` prints ``{"pages": N}`` or ``{"error": "..."}``.

A PDF bomb (a stream that inflates to gigabytes, a page tree claiming millions of pages, a
reference loop) then costs at most the limits below and never the web process.
"""

import json
import resource
import sys

MAX_MEMORY_BYTES = 768 * 1024 * 1024
MAX_CPU_SECONDS = 10
MAX_PAGES = 2000
MAX_OBJECTS = 200_000
MAX_CONTENT_BYTES = 50 * 1024 * 1024
ACTIVE_KEYS = ("/JavaScript", "/JS", "/Launch", "/AA")


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MAX_MEMORY_BYTES, MAX_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (MAX_CPU_SECONDS, MAX_CPU_SECONDS))


def _has_active_content(reader) -> bool:
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        return True
    action = root.get("/OpenAction")
    if action is not None:
        action = action.get_object()
        if hasattr(action, "keys") and any(k in action for k in ACTIVE_KEYS):
            return True
    return "/AA" in root


def check(data: bytes) -> dict:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return {"error": "encrypted"}
    objects = sum(len(v) for v in reader.xref.values()) + len(reader.xref_objStm)
    if objects > MAX_OBJECTS:
        return {"error": "too_complex"}
    # The declared count is read without walking the tree; a bomb declares millions.
    declared = int(reader.trailer["/Root"]["/Pages"].get("/Count", 0))
    if declared > MAX_PAGES:
        return {"error": "too_many_pages"}
    pages = len(reader.pages)
    if pages == 0:
        return {"error": "no_pages"}
    if pages > MAX_PAGES:
        return {"error": "too_many_pages"}
    if _has_active_content(reader):
        return {"error": "active_content"}
    contents = reader.pages[0].get_contents()
    if contents is not None and len(contents.get_data()) > MAX_CONTENT_BYTES:
        return {"error": "too_complex"}
    return {"pages": pages}


def main() -> None:
    _limit()
    from pypdf.errors import LimitReachedError

    data = sys.stdin.buffer.read()
    try:
        result = check(data)
    except (MemoryError, LimitReachedError, RecursionError):
        result = {"error": "too_complex"}
    except Exception:  # noqa: BLE001 - any failure to read means "not a PDF we accept"
        result = {"error": "unreadable"}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
