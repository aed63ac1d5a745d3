from django.urls import path

from hilfenetz.figures import views

app_name = "figures"

urlpatterns = [
    path("", views.index, name="index"),
    path("kennzahlen.csv", views.figures_csv, name="csv"),
    path("kennzahlen.pdf", views.figures_pdf, name="pdf"),
]
