import hmac

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hilfenetz.core import metrics, outage
from hilfenetz.core.cache import probe as cache_probe
from hilfenetz.core.page_cache import public_page
from hilfenetz.core.predicates import allowed


@require_safe
@public_page
def home(request):
    return render(request, "core/home.html")


@require_safe
def legal(request):
    return render(request, "core/legal.html")


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return f"unavailable: {type(exc).__name__}"
    return "ok"


def _check_task_queue() -> str:
    """The table the background worker takes mail and jobs from."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return "not used"
    from django_tasks_db.models import DBTaskResult

    try:
        list(DBTaskResult.objects.order_by().values_list("pk", flat=True)[:1])
    except Exception as exc:  # noqa: BLE001 - any failure means the queue cannot be used
        return f"unavailable: {type(exc).__name__}"
    return "ok"


def may_read_metrics(request) -> bool:
    """A monitoring system with the bearer token, or a logged-in administrator."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if settings.METRICS_TOKEN and scheme.lower() == "bearer":
        return hmac.compare_digest(token.strip().encode(), settings.METRICS_TOKEN.encode())
    return allowed("core.status.view", request.user)


@never_cache
@require_safe
def metrics_view(request):
    if not may_read_metrics(request):
        return HttpResponseForbidden()
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


@never_cache
@require_safe
def healthz(request):
    """Every service a page needs, each with its state. 503 if pages cannot be served (the
    database is away); 200 with "degraded" if they can, but with a fallback (Redis away)."""
    checks = {"database": _check_database()}
    if checks["database"] == "ok":
        checks["cache"] = cache_probe(caches["default"])
        checks["tasks"] = _check_task_queue()
    else:
        # the cache table and the task queue live in the same database
        checks["cache"] = checks["tasks"] = "not checked"
    if checks["database"] != "ok" or checks["cache"] == "unavailable":
        status = "unavailable"
    elif all(state in ("ok", "not used") for state in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "unavailable" else 200
    )


def server_error(request):
    """The 500 page in the visitor's language and the site's layout, rendered without context
    processors: whatever failed (the database, a context processor) may fail again."""
    with translation.override(outage.request_language(request)):
        return outage.render_minimal(request, "500.html", 500)
