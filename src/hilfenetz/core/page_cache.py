"""What is rendered once and kept: pages as a visitor without a session sees them, the parts of
a page that are the same for every viewer (``same_for_everyone``: the help exchange's results
below the person's own actions), the page around such a part for everyone who sees the same
layout (``render_around``), and fragments that many pages and people share. One invalidation
scheme serves all of them.

Every table has a data version, a token in the shared cache (Redis or the database cache, so
every worker and server sees it) that changes once a transaction that wrote to the table commits.
Writes are seen where they happen, in the SQL sent to the database (``_watch``): saves, deletes,
``QuerySet.update``, bulk operations and raw SQL alike, without signals. Whatever is kept records
the tables it read while it was rendered (plus those it declares: data prefetched before it
rendered), together with their versions read *before* it rendered; it is used again only while
every one of those versions is unchanged. A change committed while a page renders can therefore
only make it render again, never keep it stale. The first rendering of a kind of page or fragment
teaches which tables it reads and is not kept; from then on they are read first.

Keys hold the host, the language and the day (what changes with time alone, such as a listing's
age). The parts of a page that belong to one request — the CSP nonce and CSRF tokens — are cut out
before it is kept and put in again for each request. A request with a session or a pending
message is never served a kept page, and a page is kept only if it is a plain 200 that set no
cookie and touched no session: nothing a person sees because of who they are reaches anyone else.
"""

import atexit
import functools
import hashlib
import logging
import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django import shortcuts
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import request_finished
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe

from hilfenetz.core import metrics

logger = logging.getLogger(__name__)

# NUL never occurs in a rendered page (core/middleware.py refuses it in any input)
NONCE = b"\x00nonce\x00"
CSRF = b"\x00csrf\x00"
CSRF_MARK = CSRF.decode()  # what a kept part's forms carry in place of the CSRF token
NONCE_MARK = NONCE.decode()  # what a kept part's scripts carry in place of the CSP nonce
HERE_MARK = "\x00here\x00"  # what a kept part carries in place of the request's path and query
CONTENT_MARK = "\x00content\x00"  # what a kept page carries in place of its content (render_around)
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
MESSAGES_COOKIE = "messages"  # django.contrib.messages.storage.cookie.CookieStorage.cookie_name

WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)',
    re.IGNORECASE,
)
READ = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)
# Tables that no kept page shows and that change on nearly every request or job.
UNWATCHED = ("django_session", "hilfenetz_cache", "axes_", "django_tasks", "django_migrations")


# --- versions --------------------------------------------------------------------------------


def _version_key(table: str) -> str:
    return f"data-version:{table}"


# The versions read during one request (set by ``PageCacheMiddleware``): each is read once.
_request_versions: ContextVar[dict | None] = ContextVar("request_versions", default=None)
_request_host: ContextVar[str] = ContextVar("request_host", default="")


def versions(tables) -> dict[str, str]:
    """The tables' current data versions."""
    tables = list(tables)
    flush()  # what this thread wrote shows in what it reads next
    known = _request_versions.get()
    if known is None:
        known = {}
    missing = [table for table in tables if table not in known]
    if missing and _request_versions.get() is not None:
        # in a request, what else is kept will be asked next: one round trip for all of it
        missing = _everything_kept(known)
    if missing:
        _round_trip(known, missing)
    return {table: known[table] for table in tables}


def _everything_kept(known) -> list[str]:
    return sorted(set().union(*_learned.values(), *_declared.values()) - known.keys())


def _round_trip(known: dict, tables, others=()) -> dict:
    """Read the versions of ``tables`` into ``known`` and the values of ``others`` (keys of the
    shared cache), all in one round trip; returns the values of ``others`` found."""
    keys = {_version_key(table): table for table in tables}
    found = cache.get_many([*keys, *others])
    for key in keys.keys() - found.keys():
        # first use, or evicted from the shared cache: a fresh token matches nothing kept
        cache.add(key, secrets.token_hex(8), None)
        found[key] = cache.get(key)
    for key, table in keys.items():
        known[table] = str(found[key])
    return {key: found[key] for key in others if key in found}


def read_with_versions(key: str):
    """The value of ``key`` in the shared cache, read in the round trip that reads the request's
    data versions (a person's session: one round trip instead of two). None when missing, and
    outside a request or with the page cache off, where no versions are read."""
    known = _request_versions.get()
    if known is None or settings.PAGE_CACHE_SECONDS <= 0:
        return None
    flush()
    return _round_trip(known, _everything_kept(known), [key]).get(key)


def _bump(tables) -> None:
    tokens = {table: secrets.token_hex(8) for table in tables}
    try:
        cache.set_many({_version_key(table): token for table, token in tokens.items()}, None)
    except Exception:
        # The data is committed; an unreachable cache must not turn the answer into an error.
        # What is kept in other workers may stay until it expires: say so.
        logger.exception("data versions of %s could not be changed", sorted(tables))
        return
    known = _request_versions.get()
    if known is not None:
        known.update(tokens)


class _Pending:
    """The tables a transaction wrote to, bumped once when it commits."""

    def __init__(self):
        self.tables = set()

    def __call__(self):
        _bump(self.tables)


def _written(connection, table: str) -> None:
    if not connection.in_atomic_block:
        # Committed when the statement returned, but its rows may not be fetched yet (RETURNING):
        # the bump waits for the next statement, the next version read or the request's end.
        connection.__dict__.setdefault("_page_cache_unflushed", set()).add(table)
        return
    pending = connection.__dict__.get("_page_cache_pending")
    # Django drops a transaction's hooks on commit and rollback (also a savepoint's on its
    # rollback): a hook that is no longer waiting starts a new set.
    if pending is None or not any(hook is pending for _, hook, _ in connection.run_on_commit):
        pending = connection._page_cache_pending = _Pending()
        connection.on_commit(pending, robust=True)
    pending.tables.add(table)


def _flush(connection) -> None:
    if _paused or connection.in_atomic_block:
        return  # never inside a transaction that may roll back
    if tables := connection.__dict__.pop("_page_cache_unflushed", None):
        _bump(tables)


def flush(**kwargs) -> None:
    """Bump what this thread's connections wrote outside transactions."""
    for connection in connections.all(initialized_only=True):
        _flush(connection)


# Migrations write before the cache's table exists: nothing is kept from them.
_paused = False


def _pause(**kwargs):
    global _paused
    _paused = True


def _resume(**kwargs):
    global _paused
    _paused = False


# The tables read by what is being rendered, innermost last.
_recorders: ContextVar[tuple] = ContextVar("recorders", default=())


def _watch(execute, sql, params, many, context):
    connection = context["connection"]
    if "_page_cache_unflushed" in connection.__dict__:
        _flush(connection)
    recorders = _recorders.get()
    if recorders and sql.lstrip()[:6].upper() in ("SELECT", "WITH R", "WITH "):
        # A kept part depends on what it shows, not on the session or the cache it was read through.
        tables = {table for table in READ.findall(sql) if not table.startswith(UNWATCHED)}
        for recorder in recorders:
            recorder |= tables
    result = execute(sql, params, many, context)
    if not _paused and (match := WRITE.match(sql)):
        table = match.group(1)
        if not table.startswith(UNWATCHED):
            _written(connection, table)
    return result


def _install(connection, **kwargs):
    # first in the list: Django's execute_wrapper() contexts push and pop at its end
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def watch_writes() -> None:
    connection_created.connect(_install, dispatch_uid="page-cache-watch")
    pre_migrate.connect(_pause, dispatch_uid="page-cache-pause")
    post_migrate.connect(_resume, dispatch_uid="page-cache-resume")
    request_finished.connect(flush, dispatch_uid="page-cache-flush")
    atexit.register(flush)
    for connection in connections.all(initialized_only=True):
        _install(connection)


@contextmanager
def recording():
    """The set of tables read inside the block (also by what was kept and reused there)."""
    tables = set()
    token = _recorders.set((*_recorders.get(), tables))
    try:
        yield tables
    finally:
        _recorders.reset(token)


def _note_reads(tables) -> None:
    for recorder in _recorders.get():
        recorder |= set(tables)


@functools.cache
def model_tables(*labels: str) -> frozenset[str]:
    """The tables of models given as "app.Model", with their many-to-many relations."""
    tables = set()
    for label in labels:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    return frozenset(tables)


# --- keeping ---------------------------------------------------------------------------------

# Per process: the tables each kind of kept thing was seen to read.
_learned: dict[str, frozenset] = {}
# The tables some kinds are known to read before they first render (``declare``).
_declared: dict[str, frozenset] = {}


# The per-process stores: whole pages and parts by path, fragments that many pages show, what a
# list's filters find, items of lists, facts about one person (settings.CACHES says what each holds).
STORES = tuple(
    alias
    for alias, store in settings.CACHES.items()
    if store["BACKEND"] == "hilfenetz.core.cache.InProcessCache"
)


def declare(kind: str, tables) -> None:
    """``kind`` reads ``tables``: their versions are fetched with the request's first version
    read, also before its first rendering (one round trip fewer on a page's first rendering).
    Declarations of one kind add up."""
    _declared[kind] = _declared.get(kind, frozenset()) | frozenset(tables)


def forget() -> None:
    """Drop everything kept and learned in this process (tests: a first rendering)."""
    _learned.clear()
    for store in STORES:
        caches[store].clear()


def _context() -> tuple:
    """What every kept thing depends on besides its parts."""
    return (_request_host.get(), translation.get_language(), timezone.localdate())


def _key(kind: str, parts, context: tuple | None = None) -> str:
    raw = repr((*(context or _context()), kind, parts))
    return f"kept:{kind}:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _lookup(store, key):
    entry = store.get(key)
    if entry is not None:
        tables, seen, value = entry
        if tuple(versions(tables).values()) == seen:
            _note_reads(tables)
            return value
    return None


def _render(kind, render, reads, keepable=None):
    """Render, and keep the result if its versions were read before it rendered."""
    expected = _learned.get(kind, frozenset()) | reads
    before = versions(sorted(expected))
    with recording() as tables:
        value = render()
    tables |= reads
    _note_reads(tables)
    if not tables <= expected:
        _learned[kind] = expected | tables
        return value, None
    if keepable is None or keepable(value):
        # tuples: the stores keep text and tuples of it as they are (core.cache.InProcessCache)
        tables = tuple(sorted(tables))
        return value, (tables, tuple(before[table] for table in tables))
    return value, None


def kept(kind: str, parts, render, *, reads=frozenset(), store=None, timeout=3600):
    """``render()`` once per host, language, day, ``parts`` and data version of what it reads.

    ``reads``: tables (see ``model_tables``) whose data reached ``render`` from outside it, e.g.
    prefetched objects. ``store``: the per-process "fragments" cache by default; a large, costly
    result shared by every server goes to the shared cache."""
    store = store if store is not None else caches["fragments"]
    if not reads <= _learned.get(kind, frozenset()):
        # known from now on: the request's first version read fetches them with the rest
        _learned[kind] = _learned.get(kind, frozenset()) | frozenset(reads)
    key = _key(kind, parts)
    value = _lookup(store, key)
    if value is None:
        value, stamp = _render(kind, render, frozenset(reads))
        if stamp is not None:
            store.set(key, (*stamp, value), timeout)
    return value


def kept_each(
    kind: str, parts: list, render, *, reads=frozenset(), timeout=3600, store="items"
) -> list:
    """``kept`` for many parts at once, each kept on its own (a listing's card, for every page
    that shows it): ``render(missing)`` renders the parts not kept, in one call, and returns
    their values in the order given. By default they are kept in the "items" store: many, each
    shown on few pages, they would push out of the fragments' store what many pages show."""
    store = caches[store]
    if not reads <= _learned.get(kind, frozenset()):
        _learned[kind] = _learned.get(kind, frozenset()) | frozenset(reads)
    context = _context()  # once for all the parts
    keys = [_key(kind, part, context) for part in parts]
    values = [_lookup(store, key) for key in keys]
    missing = [index for index, value in enumerate(values) if value is None]
    if missing:
        rendered, stamp = _render(kind, lambda: render([parts[i] for i in missing]), reads)
        for index, value in zip(missing, rendered, strict=True):
            values[index] = value
            if stamp is not None:
                store.set(keys[index], (*stamp, value), timeout)
    return values


def _labels_along(model, path: str) -> list[str]:
    """The labels of the models along a ``select_related`` path ("municipality__area")."""
    labels = []
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
        labels.append(model._meta.label)
    return labels


def keeping() -> bool:
    """Whether facts and rows are kept between requests (``per_person``, ``kept_rows``): in a
    request, whose data versions are read in one round trip, and with the page cache on."""
    return settings.PAGE_CACHE_SECONDS > 0 and _request_versions.get() is not None


def kept_rows(model, keys, *related: str) -> dict:
    """The rows of ``model`` with the primary keys ``keys``, with their ``related`` rows (paths
    as for ``select_related``), by key: each kept on its own in the process by the data
    versions of the tables it came from. For the small tables that many pages show beside
    their own rows (a listing's category and place): the page's query then reads its own table
    alone, which PostgreSQL planned in 0.2 ms instead of 1.2 ms for the join (a listing's page
    at 100,000 listings). Only while ``keeping()``;
    otherwise they are read each time, in one query. A row is a copy for the one request: no
    request changes what another reads."""
    keys = sorted({key for key in keys if key is not None})

    def read(missing):
        # the manager a join and a related object use: no default manager's narrowing
        rows = model._base_manager.all()
        found = (rows.select_related(*related) if related else rows).in_bulk(missing)
        return [found.get(key) for key in missing]

    if not keys:
        return {}
    if not keeping():
        values = read(keys)
    else:
        labels = {model._meta.label}
        for path in related:
            labels.update(_labels_along(model, path))
        values = kept_each(
            f"row:{model._meta.label}:{related}",
            keys,
            read,
            reads=model_tables(*sorted(labels)),
            store="fragments",
        )
    return {key: value for key, value in zip(keys, values, strict=True) if value is not None}


# At most this long a process keeps a fact about a person, even while its data versions are
# unchanged: it bounds how long one could outlive a change whose new version did not reach the
# shared cache (``_bump`` failed, or Redis came back with versions from before an outage).
PER_PERSON_SECONDS = 60


def per_person(kind: str, person_id, read, *models: str):
    """``read()``: a fact about the person with the user id ``person_id`` that every page of
    theirs asks for (who they are, their roles, their second factor) from the tables of
    ``models``, kept under their id and those tables' data versions, so that a change committed
    anywhere counts on their next request. Only in a request, whose versions are read in one
    round trip with the page's, and while the page cache is on (``PAGE_CACHE_SECONDS``);
    otherwise it is read each time."""
    if not keeping():
        return read()
    return kept(
        f"person:{kind}",
        person_id,
        read,
        reads=model_tables(*models),  # kept from the first reading on
        store=caches["people"],
        timeout=PER_PERSON_SECONDS,
    )


# --- pages -----------------------------------------------------------------------------------


def _beside_the_pages(kind: str, parts, render, store: str = "pages"):
    """``render()`` kept as long as a whole page (``PAGE_CACHE_SECONDS``), in the pages' store
    or in ``store``."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return render()
    return kept(kind, parts, render, store=caches[store], timeout=settings.PAGE_CACHE_SECONDS)


def same_for_everyone(request, kind: str, render, query: str | None = None, store: str = "pages"):
    """``render()``: a part of the page at this path that shows nothing of the viewer, kept as
    long as a whole page (beside the pages) and used for everyone who asks for the path, logged
    in or not; the page around it shows who they are and what they may do.
    ``query``: the part of the query string that ``render`` depends on (default: all of it).
    ``store``: "matches" for what every page of a list's filters shares (settings.CACHES)."""
    path = request.get_full_path() if query is None else f"{request.path}?{query}"
    return _beside_the_pages(kind, path, render, store)


def same_for_group(kind: str, group, render):
    """``render()``: a value the same for everyone in ``group`` on every page (a count in the
    navigation), kept as long as a whole page, with the fragments that many pages show."""
    return _beside_the_pages(kind, ("every page", group), render, "fragments")


def fill_in(markup: str, nonce, csrf_token, request=None) -> str:
    """A kept part with the request's own nonce, CSRF token and (from ``request``) path and
    query in place of their stand-ins (``NONCE_MARK``, ``CSRF_MARK``, ``HERE_MARK``); each is
    read only if the part has its stand-in."""
    if _marks_kept.get():  # a part around this one is being kept: its stand-ins stay
        return mark_safe(markup)  # noqa: S308 (kept markup)
    # not "nonce or ''": a nonce not used yet is false (Django's LazyNonce)
    if NONCE_MARK in markup:
        markup = markup.replace(NONCE_MARK, "" if nonce is None else str(nonce))
    if CSRF_MARK in markup:
        markup = markup.replace(CSRF_MARK, "" if csrf_token is None else str(csrf_token))
    if HERE_MARK in markup:
        # escaped as the template would have escaped it in place of the stand-in
        markup = markup.replace(
            HERE_MARK, "" if request is None else escape(request.get_full_path())
        )
    return mark_safe(markup)  # noqa: S308 (kept markup with a nonce and a token put in)


# While a page around a content is rendered to be kept (``render_around``), the parts kept inside
# it keep their stand-ins: the request's own values go into the whole page when it is served.
_marks_kept: ContextVar[bool] = ContextVar("marks_kept", default=False)


def render_around(request, template_name: str, context: dict, content: str, parts=()):
    """``render(request, template_name, context)``, where ``context[content]`` is the page's
    content (rendered, or kept on its own), with the page around the content kept: rendered once
    per host, language, day, view, ``parts`` and data version of what it reads, for everyone who
    sees the same layout (``core.frame.page_viewer``), with stand-ins for the content, the
    request's nonce, CSRF token and path, which go in per request. ``parts``: what else the
    template shows of the request (a query parameter it links with). A request with messages to
    show gets its page rendered: they are shown once, to it alone."""
    from hilfenetz.core.frame import page_viewer  # its rules read through this module

    messages = getattr(request, "_messages", None)
    if settings.PAGE_CACHE_SECONDS <= 0 or (messages is not None and len(messages)):
        return shortcuts.render(request, template_name, context)

    def around():
        # the view's values come before the context processors' (the nonce, the token)
        marks = {"csp_nonce": NONCE_MARK, "csrf_token": CSRF_MARK, "messages": ()}
        marks[content] = mark_safe(CONTENT_MARK)  # noqa: S308 (a stand-in, no text)
        token = _marks_kept.set(True)
        try:
            return get_template(template_name).render({**context, **marks}, request)
        finally:
            _marks_kept.reset(token)

    view = request.resolver_match.view_name if request.resolver_match else None
    markup = _beside_the_pages(
        f"around:{template_name}",
        (view, page_viewer(request), tuple(parts)),
        around,
        store="fragments",
    )
    token = SimpleLazyObject(lambda: get_token(request))  # read only if the page has a form
    before, mark, after = fill_in(markup, get_nonce(request), token, request).partition(
        CONTENT_MARK
    )
    if not mark or CONTENT_MARK in after:  # shown not once: nothing of it may be lost or doubled
        return shortcuts.render(request, template_name, context)
    return HttpResponse(before + context[content] + after)


def same_within(request, kind: str, group, render):
    """``render(csrf_token)``: a part of the page at this path that is the same for everyone in
    ``group`` (a value naming them, such as the scope coordinators share) and shows nothing else
    of the viewer, kept beside the pages as ``same_for_everyone`` is. Its forms carry a stand-in
    for the CSRF token (``render`` is given it); each viewer gets their own token in its place."""
    parts = (request.get_full_path(), group)
    markup = _beside_the_pages(kind, parts, lambda: render(CSRF_MARK))
    return fill_in(markup, None, get_token(request))


def _anonymous(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and not request.user.is_authenticated
    )


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


def _cut(request, response) -> tuple[int, tuple, bytes]:
    body = response.content
    nonce = get_nonce(request)
    if nonce:  # true only if the page used it
        body = body.replace(str(nonce).encode(), NONCE)
    body = CSRF_INPUT.sub(rb"\g<1>" + CSRF + rb"\g<2>", body)
    return response.status_code, tuple(response.headers.items()), body


def _restore(request, kept_page) -> HttpResponse:
    status, headers, body = kept_page
    if NONCE in body:
        body = body.replace(NONCE, str(get_nonce(request)).encode())
    if CSRF in body:
        body = body.replace(CSRF, get_token(request).encode())
    return HttpResponse(body, status=status, headers=dict(headers))


def public_page(view):
    """Serve the view's page from the worker's memory to visitors without a session, as long as
    nothing it read has changed."""
    kind = f"page:{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.PAGE_CACHE_SECONDS <= 0 or not _anonymous(request):
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        key = _key(kind, request.get_full_path())
        page = _lookup(pages, key)
        metrics.PAGE_CACHE.labels("miss" if page is None else "hit").inc()
        if page is not None:
            return _restore(request, page)
        response, stamp = _render(
            kind,
            lambda: view(request, *args, **kwargs),
            frozenset(),
            keepable=lambda response: _keepable(request, response),
        )
        if stamp is not None:
            pages.set(key, (*stamp, _cut(request, response)), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper


class PageCacheMiddleware:
    """Each request reads a data version once and keeps pages apart per host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        versions_token = _request_versions.set({})
        host_token = _request_host.set(request.get_host())
        try:
            return self.get_response(request)
        finally:
            _request_host.reset(host_token)
            _request_versions.reset(versions_token)
