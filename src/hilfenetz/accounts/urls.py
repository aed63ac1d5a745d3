from django.urls import path

from hilfenetz.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.export_data, name="export"),
    path("profile/delete/", views.delete_account, name="delete"),
    path("invitations/<id:pk>/", views.invitation_answer, name="invitation_answer"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path("organisations/<slug:slug>/join/", views.organisation_join, name="organisation_join"),
    path("organisations/<slug:slug>/leave/", views.organisation_leave, name="organisation_leave"),
    path("memberships/<id:pk>/", views.membership_action, name="membership_action"),
    path(
        "second-factor/required/",
        views.second_factor_required,
        name="second_factor_required",
    ),
    path(
        "people/<id:pk>/second-factor/reset/",
        views.second_factor_reset,
        name="second_factor_reset",
    ),
]
