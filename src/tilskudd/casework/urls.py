from django.urls import path

from tilskudd.casework import views

app_name = "casework"

urlpatterns = [
    path("saksbehandling/", views.dashboard, name="dashboard"),
    path("saksbehandling/utlysninger/<slug:slug>/", views.queue, name="queue"),
    path("saksbehandling/saker/<int:case_id>/", views.case, name="case"),
    path("saksbehandling/saker/<int:case_id>/vedlegg/<int:attachment_id>/", views.attachment, name="attachment"),
    path("saksbehandling/saker/<int:case_id>/godta/", views.accept, name="accept"),
    path("saksbehandling/saker/<int:case_id>/komplettering/", views.request_completion, name="request_completion"),
    path("saksbehandling/saker/<int:case_id>/avvisning/", views.propose_rejection, name="propose_rejection"),
    path("saksbehandling/saker/<int:case_id>/saksbehandler/", views.assign, name="assign"),
    path("saksbehandling/tilskuddsforvaltere/<int:org_id>/personer/", views.staff, name="staff"),
    path(
        "saksbehandling/tilskuddsforvaltere/<int:org_id>/personer/<int:role_id>/fjern/",
        views.remove_staff,
        name="remove_staff",
    ),
    path(
        "saksbehandling/tilskuddsforvaltere/<int:org_id>/personer/<int:user_id>/stillingstittel/",
        views.staff_title,
        name="staff_title",
    ),
    path(
        "saksbehandling/tilskuddsforvaltere/<int:org_id>/invitasjoner/<int:invitation_id>/trekk-tilbake/",
        views.revoke_staff_invitation,
        name="revoke_staff_invitation",
    ),
    path("saksbehandling/invitasjon/<str:token>/", views.staff_invitation, name="staff_invitation"),
]
