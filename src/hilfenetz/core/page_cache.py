"""Pages as a visitor without a session sees them, rendered once per worker and data version.

Most requests for the list, search, directory and home pages come from people who are not logged
in, and they all see the same page; rendering it is most of the cost (issue 10). Such a page is
kept in the worker's memory (the "pages" cache) under its language, full path, the day and the
versions of the apps whose data it shows. A version is a token in the shared cache that changes
after every committed save or delete of a model of that app (``TRACKED_APPS``), so each worker
renders again at its next request; the day and a short lifetime cover what changes with time
alone (a listing's or an office's dates). A ``QuerySet.update`` sends no signal: whoever changes
shown data that way calls ``changed`` (the remaining quantity changes together with a pledge,
which is saved). The parts that belong to one request — the CSP nonce and CSRF tokens — are cut out
before a page is kept and put in again for each request.

A request with a session or a pending message is never served from here, and a response is
kept only if it is a plain 200 that set no cookie and touched no session: nothing a person sees
because of who they are can reach anyone else.
"""

import hashlib
import re
import secrets
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from hilfenetz.core import metrics

# NUL never occurs in a rendered page (core/middleware.py refuses it in any input)
NONCE = b"\x00nonce\x00"
CSRF = b"\x00csrf\x00"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
MESSAGES_COOKIE = "messages"  # django.contrib.messages.storage.cookie.CookieStorage.cookie_name


# The apps whose data kept pages and fragments show. Only their models are watched: a signal
# receiver costs each save a bump and each bulk delete Django's fast path.
TRACKED_APPS = ("directory", "exchange", "regions")


def _version_key(app_label: str) -> str:
    return f"page-version:{app_label}"


def _bump(app_labels) -> None:
    cache.set_many({_version_key(label): secrets.token_hex(8) for label in app_labels}, None)


def changed(app_label: str) -> None:
    """The app's data changed: pages showing it are rendered again once this commits."""
    connection = transaction.get_connection()
    # One bump per app and transaction, however many rows it saves. Django replaces the list of
    # commit hooks on commit and on rollback, which starts a new set here too.
    hooks, labels = getattr(connection, "_page_cache_pending", None) or (None, None)
    if hooks is not connection.run_on_commit:
        labels = set()
        connection._page_cache_pending = (connection.run_on_commit, labels)
    if app_label in labels:
        return
    labels.add(app_label)
    # robust: the data is committed; a cache failure must not turn the answer into an error
    transaction.on_commit(lambda: _bump([app_label]), robust=True)


def versions(app_labels: tuple[str, ...], request=None) -> str:
    """The apps' data versions, read once per request."""
    known = request.__dict__.setdefault("_data_versions", {}) if request is not None else {}
    missing = [label for label in app_labels if label not in known]
    if missing:
        keys = {_version_key(label): label for label in missing}
        found = cache.get_many(list(keys))
        for key, label in keys.items():
            if key not in found:
                # first use, or evicted from the shared cache: a fresh token matches no old page
                cache.add(key, secrets.token_hex(8), None)
                found[key] = cache.get(key)
            known[label] = str(found[key])
    return ".".join(known[label] for label in app_labels)


# What the shared forms show (categories, places): fragments of them are keyed by this version.
REFERENCE_DATA = ("exchange", "regions")


def reference_data(request) -> str:
    return versions(REFERENCE_DATA, request)


def _anonymous(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and not request.user.is_authenticated
    )


def _page_key(request, app_labels) -> str:
    raw = "\n".join(
        (
            translation.get_language(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
            versions(app_labels, request),
        )
    )
    return "page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _keepable(request, response) -> bool:
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        # reading an empty session is harmless; a page that starts one would set its cookie
        and not (session is not None and session.modified)
        and not (messages is not None and messages.added_new)
    )


def _cut(request, response) -> tuple[int, list, bytes]:
    body = response.content
    nonce = get_nonce(request)
    if nonce:  # true only if the page used it
        body = body.replace(str(nonce).encode(), NONCE)
    body = CSRF_INPUT.sub(rb"\g<1>" + CSRF + rb"\g<2>", body)
    return response.status_code, list(response.headers.items()), body


def _restore(request, kept) -> HttpResponse:
    status, headers, body = kept
    if NONCE in body:
        body = body.replace(NONCE, str(get_nonce(request)).encode())
    if CSRF in body:
        body = body.replace(CSRF, get_token(request).encode())
    return HttpResponse(body, status=status, headers=dict(headers))


def public_page(*app_labels: str):
    """Serve the view's page from the worker's memory to visitors without a session, as long as
    the data of `app_labels` has not changed."""
    if untracked := set(app_labels) - set(TRACKED_APPS):
        raise ImproperlyConfigured(f"page_cache.TRACKED_APPS lacks {sorted(untracked)}")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if settings.PAGE_CACHE_SECONDS <= 0 or not _anonymous(request):
                return view(request, *args, **kwargs)
            pages = caches["pages"]
            key = _page_key(request, app_labels)
            kept = pages.get(key)
            metrics.PAGE_CACHE.labels("miss" if kept is None else "hit").inc()
            if kept is not None:
                return _restore(request, kept)
            response = view(request, *args, **kwargs)
            if _keepable(request, response):
                pages.set(key, _cut(request, response), settings.PAGE_CACHE_SECONDS)
            return response

        return wrapper

    return decorate


def _on_change(sender, **kwargs):
    changed(sender._meta.app_label)


def _on_m2m_change(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        changed(instance._meta.app_label)


def track_changes() -> None:
    """Connect the models of the tracked apps, and the relations between several of them."""
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"page-cache:{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_m2m_change,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}.{field.name}",
                )
