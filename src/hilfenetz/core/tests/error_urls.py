"""The project's URLs and views that fail, for the tests of the error pages."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from hilfenetz.urls import handler500
from hilfenetz.urls import urlpatterns as project_urlpatterns


def fails(request):
    raise RuntimeError("a bug")


def refuses(request):
    raise PermissionDenied


def bad(request):
    raise BadRequest


urlpatterns = [
    path("test-fails/", fails),
    path("test-refuses/", refuses),
    path("test-bad/", bad),
    *project_urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]
