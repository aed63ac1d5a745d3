from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hilfenetz.core import outage
from hilfenetz.core.page_cache import public_page


@require_safe
@public_page("regions")
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


def server_error(request):
    """The 500 page in the visitor's language and the site's layout, rendered without context
    processors: whatever failed (the database, a context processor) may fail again."""
    with translation.override(outage.request_language(request)):
        return outage.render_minimal(request, "500.html", 500)
