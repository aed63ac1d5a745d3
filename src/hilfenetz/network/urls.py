from django.urls import path

from hilfenetz.network import views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("planung/", views.planning, name="planning"),
    path("kag/", views.kag, name="kag"),
    path("meine-treffen/", views.my_meetings, name="my_meetings"),
    path("meine-treffen/kalender-erneuern/", views.feed_renew, name="feed_renew"),
    path("kalender/<str:token>.ics", views.my_feed, name="my_feed"),
    path("plattform/<id:pk>/", views.platform_detail, name="platform"),
    path("plattform/<id:pk>/bearbeiten/", views.platform_edit, name="platform_edit"),
    path("plattform/<id:pk>/folgen/", views.platform_follow, name="platform_follow"),
    path("plattform/<id:pk>/kalender.ics", views.platform_feed, name="platform_feed"),
    path("plattform/<id:pk>/protokolle/", views.archive, name="archive"),
    path("plattform/<id:pk>/treffen/neu/", views.meeting_create, name="meeting_create"),
    path("plattform/<id:pk>/beitrag/neu/", views.thread_create, name="thread_create"),
    path("treffen/<id:pk>/", views.meeting_detail, name="meeting"),
    path("treffen/<id:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("treffen/<id:pk>/pruefen/", views.meeting_review, name="meeting_review"),
    path("treffen/<id:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("treffen/<id:pk>/verschieben/", views.meeting_reschedule, name="meeting_reschedule"),
    path("treffen/<id:pk>/absagen/", views.meeting_cancel, name="meeting_cancel"),
    path("treffen/<id:pk>/stattgefunden/", views.meeting_held, name="meeting_held"),
    path("treffen/<id:pk>/termin.ics", views.meeting_ics, name="meeting_ics"),
    path("treffen/<id:pk>/anmelden/", views.meeting_rsvp, name="meeting_rsvp"),
    path("treffen/<id:pk>/teilnahme/", views.attendance, name="attendance"),
    path("treffen/<id:pk>/teilnahme.csv", views.attendance_csv, name="attendance_csv"),
    path("treffen/<id:pk>/unterschriften.pdf", views.signin_sheet, name="signin_sheet"),
    path("treffen/<id:pk>/fachleute/", views.experts, name="experts"),
    path("treffen/<id:pk>/protokoll/", views.minutes, name="minutes"),
    path("treffen/<id:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("treffen/<id:pk>/protokoll/schreiben/", views.minutes_edit, name="minutes_edit"),
    path("antwort/<id:pk>/<str:token>/", views.RsvpLinkView.as_view(), name="rsvp_link"),
    path("protokoll/<id:pk>/<str:token>/", views.minutes_link, name="minutes_link"),
    path("fachperson/<id:pk>/<str:token>/", views.expert_link, name="expert_link"),
    path("beitrag/<id:pk>/", views.thread_detail, name="thread"),
    path("beitrag/<id:pk>/melden/", views.thread_report, name="thread_report"),
    path("antwort-hilfreich/<id:pk>/", views.reply_helpful, name="reply_helpful"),
    path("meldung/<id:pk>/", views.report_resolve, name="report_resolve"),
]
