from django.urls import path

from hilfenetz.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.listing_list, name="list"),
    path("neu/", views.listing_create, name="create"),
    path("meine/", views.my_listings, name="mine"),
    path("<id:pk>/", views.listing_detail, name="detail"),
    path("<id:pk>/bearbeiten/", views.listing_edit, name="edit"),
    path("<id:pk>/foto/<id:photo_pk>.jpg", views.photo, name="photo"),
    path("<id:pk>/foto/<id:photo_pk>/loeschen/", views.photo_delete, name="photo_delete"),
    path("<id:pk>/antworten/", views.listing_answer, name="answer"),
    path("<id:pk>/zusagen/", views.listing_pledge, name="pledge"),
    path("<id:pk>/zusage/<id:pledge_pk>/fahrt/", views.ride_pledge, name="ride_pledge"),
    path(
        "<id:pk>/zusage/<id:pledge_pk>/zurueckziehen/",
        views.pledge_withdraw,
        name="pledge_withdraw",
    ),
    path("<id:pk>/fahrt/<id:ride_pk>/zurueckziehen/", views.ride_withdraw, name="ride_withdraw"),
    path("<id:pk>/rueckmeldungen/", views.listing_answers, name="answers"),
    path("<id:pk>/erfuellt/", views.listing_fulfil, name="fulfil"),
    path("<id:pk>/zurueckziehen/", views.listing_withdraw, name="withdraw"),
    path("<id:pk>/melden/", views.listing_report, name="report"),
    path("<id:pk>/moderieren/", views.listing_moderate, name="moderate"),
    path("gespraech/<id:pk>/", views.conversation, name="conversation"),
    path("gespraech/<id:pk>/kontakt/", views.conversation_contact, name="conversation_contact"),
    path("nachricht/<id:pk>/melden/", views.message_report, name="message_report"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("meldung/<id:pk>/erledigt/", views.report_dismiss, name="report_dismiss"),
    path("erinnerung/<id:pk>/<str:token>/", views.ReminderView.as_view(), name="reminder"),
    path("suchauftraege/", views.saved_searches, name="saved_searches"),
    path("suchauftraege/<id:pk>/loeschen/", views.saved_search_delete, name="saved_search_delete"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik.csv", views.statistics_csv, name="statistics_csv"),
]
