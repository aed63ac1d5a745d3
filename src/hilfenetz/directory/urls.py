from django.urls import path

from hilfenetz.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("kontakt/", views.contact_finder, name="contact_finder"),
    path("neue-stelle/", views.office_create, name="office_create"),
    path("stellen/<slug:slug>/", views.office_detail, name="office"),
    path("stellen/<slug:slug>/bearbeiten/", views.office_edit, name="office_edit"),
    path("stellen/<slug:slug>/bestaetigen/", views.office_verify, name="office_verify"),
    path("stellen/<slug:slug>/verlauf/", views.office_history, name="office_history"),
    path("stellen/<slug:slug>/kontakte/neu/", views.contact_create, name="contact_create"),
    path("kontakte/<id:pk>/bearbeiten/", views.contact_edit, name="contact_edit"),
    path("kontakte/<id:pk>/loeschen/", views.contact_delete, name="contact_delete"),
    path("organisationen/", views.organisations, name="organisations"),
    path(
        "organisationen/<slug:slug>/eintrag/",
        views.organisation_profile,
        name="organisation_profile",
    ),
    path("kompetenzteams/", views.teams, name="teams"),
    path("kompetenzteams/<id:pk>/bestaetigen/", views.team_verify, name="team_verify"),
    path("kompetenzteams/<id:pk>/bearbeiten/", views.team_edit, name="team_edit"),
    path("kompetenzteams/<id:pk>/verlauf/", views.team_history, name="team_history"),
    path("kompetenzteams/<id:pk>/mitglieder/neu/", views.member_create, name="member_create"),
    path("mitglieder/<id:pk>/bearbeiten/", views.member_edit, name="member_edit"),
    path("mitglieder/<id:pk>/loeschen/", views.member_delete, name="member_delete"),
    path("zu-pruefen/", views.overdue, name="overdue"),
    path("export/koordinationsstellen.csv", views.export_csv, name="export_csv"),
    path("export/koordinationsstellen.vcf", views.export_vcard, name="export_vcard"),
    path("export/koordinationsstellen.pdf", views.export_pdf, name="export_pdf"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/vorschau/", views.import_preview, name="import_preview"),
    path("import/bestaetigen/", views.import_confirm, name="import_confirm"),
    path("import/vorlage/", views.import_sample, name="import_sample"),
    path("import/<id:pk>/", views.import_run, name="import_run"),
    path("import/<id:pk>/rueckgaengig/", views.import_undo, name="import_undo"),
]
