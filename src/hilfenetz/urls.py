from django.urls import include, path

from hilfenetz.api import api
from hilfenetz.core.admin_site import admin_site

# 400, 403 and 404 are Django's views with the templates of core; 500 renders without context
# processors (core/outage.py).
handler500 = "hilfenetz.core.views.server_error"

urlpatterns = [
    path("", include("hilfenetz.core.urls")),
    path("accounts/", include("hilfenetz.accounts.urls")),
    path("hilfeboerse/", include("hilfenetz.exchange.urls")),
    path("accounts/", include("allauth.urls")),
    path("verzeichnis/", include("hilfenetz.directory.urls")),
    path("vernetzung/", include("hilfenetz.network.urls")),
    path("medien/", include("hilfenetz.media.urls")),
    path("mitmachen/", include("hilfenetz.engagement.urls")),
    path("kennzahlen/", include("hilfenetz.figures.urls")),
    path("krise/", include("hilfenetz.crisis.urls")),
    path("", include("hilfenetz.slips.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
]
# No address serves the upload folder: every stored file goes through a view that checks who may
# see it (core/files.py), in development as in production.
