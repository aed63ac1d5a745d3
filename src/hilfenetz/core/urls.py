from django.urls import path

from hilfenetz.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum-datenschutz/", views.legal, name="legal"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics_view, name="metrics"),
]
