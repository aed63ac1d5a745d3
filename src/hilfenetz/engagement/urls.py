from django.urls import path

from hilfenetz.engagement import views

app_name = "engagement"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("willkommen/", views.welcome, name="welcome"),
    path("standards/", views.standards, name="standards"),
]
