from django.urls import path

from hilfenetz.media import views

app_name = "media"

urlpatterns = [
    path("", views.index, name="index"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("gebaerdensprache/", views.sign_language, name="sign_language"),
    path("neu/", views.create, name="create"),
    path("verwalten/", views.manage, name="manage"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik.csv", views.statistics_csv, name="statistics_csv"),
    path("datei/<id:pk>/", views.file, name="file"),
    path("datei/<id:pk>/loeschen/", views.delete_file, name="delete_file"),
    path("untertitel/<id:pk>.vtt", views.caption, name="caption"),
    path("vorschau/<id:pk>.jpg", views.thumbnail, name="thumbnail"),
    path("aktuell/koordinationsstellen-<str:language>.pdf", views.offices_pdf, name="offices_pdf"),
    path(
        "landkreis/<slug:district>/<str:document>/",
        views.platform_document,
        name="platform_document",
    ),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/bearbeiten/", views.edit, name="edit"),
    path("<slug:slug>/sprache/", views.add_language, name="add_language"),
    path("<slug:slug>/untertitel/", views.add_captions, name="add_captions"),
    path("<slug:slug>/status/", views.change_status, name="change_status"),
]
