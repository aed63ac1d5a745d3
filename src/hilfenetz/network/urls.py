from django.urls import path

from hilfenetz.network import views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("planung/", views.planning, name="planning"),
    path("meine-treffen/", views.my_meetings, name="my_meetings"),
    path("meine-treffen/kalender-erneuern/", views.feed_renew, name="feed_renew"),
    path("kalender/<str:token>.ics", views.my_feed, name="my_feed"),
    path("plattform/<int:pk>/", views.platform_detail, name="platform"),
    path("plattform/<int:pk>/bearbeiten/", views.platform_edit, name="platform_edit"),
    path("plattform/<int:pk>/folgen/", views.platform_follow, name="platform_follow"),
    path("plattform/<int:pk>/kalender.ics", views.platform_feed, name="platform_feed"),
    path("plattform/<int:pk>/protokolle/", views.archive, name="archive"),
    path("plattform/<int:pk>/treffen/neu/", views.meeting_create, name="meeting_create"),
    path("plattform/<int:pk>/beitrag/neu/", views.thread_create, name="thread_create"),
    path("treffen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("treffen/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("treffen/<int:pk>/pruefen/", views.meeting_review, name="meeting_review"),
    path("treffen/<int:pk>/einladen/", views.meeting_invite, name="meeting_invite"),
    path("treffen/<int:pk>/verschieben/", views.meeting_reschedule, name="meeting_reschedule"),
    path("treffen/<int:pk>/absagen/", views.meeting_cancel, name="meeting_cancel"),
    path("treffen/<int:pk>/stattgefunden/", views.meeting_held, name="meeting_held"),
    path("treffen/<int:pk>/termin.ics", views.meeting_ics, name="meeting_ics"),
    path("treffen/<int:pk>/anmelden/", views.meeting_rsvp, name="meeting_rsvp"),
    path("treffen/<int:pk>/teilnahme/", views.attendance, name="attendance"),
    path("treffen/<int:pk>/teilnahme.csv", views.attendance_csv, name="attendance_csv"),
    path("treffen/<int:pk>/unterschriften.pdf", views.signin_sheet, name="signin_sheet"),
    path("treffen/<int:pk>/fachleute/", views.experts, name="experts"),
    path("treffen/<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("treffen/<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("treffen/<int:pk>/protokoll/schreiben/", views.minutes_edit, name="minutes_edit"),
    path("antwort/<int:pk>/<str:token>/", views.RsvpLinkView.as_view(), name="rsvp_link"),
    path("protokoll/<int:pk>/<str:token>/", views.minutes_link, name="minutes_link"),
    path("fachperson/<int:pk>/<str:token>/", views.expert_link, name="expert_link"),
    path("beitrag/<int:pk>/", views.thread_detail, name="thread"),
    path("beitrag/<int:pk>/melden/", views.thread_report, name="thread_report"),
    path("antwort-hilfreich/<int:pk>/", views.reply_helpful, name="reply_helpful"),
    path("meldung/<int:pk>/", views.report_resolve, name="report_resolve"),
]
