import hmac

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hilfenetz.core import metrics
from hilfenetz.core.page_cache import public_page
from hilfenetz.core.predicates import allowed


@require_safe
@public_page
def home(request):
    return render(request, "core/home.html")


@require_safe
def legal(request):
    return render(request, "core/legal.html")


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
