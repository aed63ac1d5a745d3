from django.urls import path

from hilfenetz.engagement import views

app_name = "engagement"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("willkommen/", views.welcome, name="welcome"),
    path("standards/", views.standards, name="standards"),
    path("fuehrungszeugnis/", views.my_certificates, name="my_certificates"),
    path(
        "personen/<id:pk>/fuehrungszeugnis/",
        views.person_certificate,
        name="person_certificate",
    ),
    path("bestaetigung/", views.confirmation, name="confirmation"),
    path("bestaetigung.pdf", views.confirmation_pdf, name="confirmation_pdf"),
    path("uebersicht/", views.overview, name="overview"),
    path("personen/<id:pk>/schreiben/", views.write, name="write"),
]
