from django.urls import path

from tilskudd.orgs import views

app_name = "orgs"

urlpatterns = [
    path("organisasjoner/", views.my_organisations, name="mine"),
    path("organisasjoner/ny/", views.register_start, name="register"),
    path("organisasjoner/ny/<str:org_number>/", views.register_details, name="register_details"),
    path("organisasjoner/bli-med/<str:org_number>/", views.join, name="join"),
    path("organisasjoner/invitasjon/<str:token>/", views.invitation, name="invitation"),
    path("organisasjoner/<int:pk>/", views.profile, name="profile"),
    path("organisasjoner/<int:pk>/endre/", views.edit, name="edit"),
    path("organisasjoner/<int:pk>/oppdater-fra-enhetsregisteret/", views.refresh, name="refresh"),
    path("organisasjoner/<int:pk>/personer/", views.people, name="people"),
    path("organisasjoner/<int:pk>/personer/<int:membership_id>/", views.member_detail, name="member"),
    path("organisasjoner/<int:pk>/personer/<int:membership_id>/fjern/", views.remove_member, name="remove_member"),
    path("organisasjoner/<int:pk>/foresporsler/<int:request_id>/", views.answer_request, name="answer_request"),
    path(
        "organisasjoner/<int:pk>/invitasjoner/<int:invitation_id>/trekk-tilbake/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("organisasjoner/<int:pk>/fullmakter/", views.delegations, name="delegations"),
    path(
        "organisasjoner/<int:pk>/fullmakter/<int:delegation_id>/trekk-tilbake/",
        views.revoke_delegation,
        name="revoke_delegation",
    ),
    path("saksbehandling/bekreftelser/", views.staff_confirmations, name="staff_confirmations"),
    path("saksbehandling/bekreftelser/<int:membership_id>/", views.staff_decision, name="staff_decision"),
]
