from django.urls import path

from hilfenetz.crisis import views

app_name = "crisis"

urlpatterns = [
    path("", views.index, name="index"),
    path("benachrichtigung/", views.alerts, name="alerts"),
    path("unterkunft-anbieten/", views.offer, name="offer"),
    path("unterkuenfte/", views.offers, name="offers"),
    path("unterkuenfte.csv", views.offers_csv, name="offers_csv"),
    path("unterkuenfte/<id:pk>/status/", views.offer_status, name="offer_status"),
    path("unterkuenfte/<id:pk>/loeschen/", views.offer_delete, name="offer_delete"),
    path("landkreis/<id:pk>/", views.manage, name="manage"),
    path("landkreis/<id:pk>/einschalten/", views.switch_on, name="switch_on"),
    path("landkreis/<id:pk>/ausschalten/", views.switch_off, name="switch_off"),
    path("landkreis/<id:pk>/vorlagen/", views.templates, name="templates"),
    path("landkreis/<id:pk>/kategorie-neu/", views.category_add, name="category_add"),
    path("vorlage/<id:pk>/", views.template, name="template"),
    path("vorlage/kategorie/<id:pk>/entfernen/", views.template_remove, name="template_remove"),
]
