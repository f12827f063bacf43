from django.urls import path

from tilskudd.orgs.views import delegations, mine, people, profile, registration, staff

app_name = "orgs"

urlpatterns = [
    path("organisasjoner/", mine.my_organisations, name="mine"),
    path("organisasjoner/ny/", registration.register_start, name="register"),
    path("organisasjoner/ny/<str:org_number>/", registration.register_details, name="register_details"),
    path("organisasjoner/bli-med/<str:org_number>/", registration.join, name="join"),
    path("organisasjoner/invitasjon/<str:token>/", people.invitation, name="invitation"),
    path("organisasjoner/<int:pk>/", profile.profile, name="profile"),
    path("organisasjoner/<int:pk>/endre/", profile.edit, name="edit"),
    path("organisasjoner/<int:pk>/oppdater-fra-enhetsregisteret/", profile.refresh, name="refresh"),
    path("organisasjoner/<int:pk>/personer/", people.people, name="people"),
    path("organisasjoner/<int:pk>/personer/<int:membership_id>/", people.member_detail, name="member"),
    path("organisasjoner/<int:pk>/personer/<int:membership_id>/fjern/", people.remove_member, name="remove_member"),
    path("organisasjoner/<int:pk>/foresporsler/<int:request_id>/", people.answer_request, name="answer_request"),
    path(
        "organisasjoner/<int:pk>/invitasjoner/<int:invitation_id>/trekk-tilbake/",
        people.revoke_invitation,
        name="revoke_invitation",
    ),
    path("organisasjoner/<int:pk>/fullmakter/", delegations.delegations, name="delegations"),
    path(
        "organisasjoner/<int:pk>/fullmakter/<int:delegation_id>/trekk-tilbake/",
        delegations.revoke_delegation,
        name="revoke_delegation",
    ),
    path("saksbehandling/bekreftelser/", staff.staff_confirmations, name="staff_confirmations"),
    path("saksbehandling/bekreftelser/<int:membership_id>/", staff.staff_decision, name="staff_decision"),
    path("organisasjoner/dokumentasjon/<int:proof_id>/", staff.role_proof, name="role_proof"),
]
