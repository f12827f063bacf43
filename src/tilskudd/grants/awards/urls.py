"""The grant's pages: the grantee's (acceptance) and the caseworker's. Each view module adds its routes here."""

from django.urls import path

from tilskudd.grants.awards import applicant_views, bank_views, continuation_views, staff_views

urlpatterns: list = []

# The caseworker's (staff_views).
urlpatterns += [
    path("saksbehandling/utlysninger/<slug:slug>/tilskudd/", staff_views.staff_grants, name="staff_grants"),
    path("saksbehandling/tilskudd/<int:grant_id>/", staff_views.staff_grant, name="staff_grant"),
    path("saksbehandling/tilskudd/<int:grant_id>/trekk-tilbake/", staff_views.cancel, name="staff_grant_cancel"),
    path("saksbehandling/tilskudd/<int:grant_id>/ny-frist/", staff_views.reopen, name="staff_grant_reopen"),
]

# The grantee's (applicant_views): the grant page and the answer to the offer (issue #11, point 2).
urlpatterns += [
    path("soknader/<int:pk>/tilskudd/", applicant_views.grant_page, name="grant"),
    path("soknader/<int:pk>/tilskudd/svar/", applicant_views.answer, name="answer"),
]

# A change of bank account by a signed request, confirmed by the grantor's caseworker (bank_views; issue #11, point 4).
urlpatterns += [
    path("soknader/<int:pk>/tilskudd/kontonummer/", bank_views.request_change, name="bank_account_request"),
    path(
        "saksbehandling/tilskudd/<int:grant_id>/kontonummer/<int:change_id>/bekreft/",
        bank_views.confirm,
        name="bank_account_confirm",
    ),
    path(
        "saksbehandling/tilskudd/<int:grant_id>/kontonummer/<int:change_id>/avvis/",
        bank_views.refuse,
        name="bank_account_refuse",
    ),
]

# Continuation of a multi-year grant into next year (continuation_views; issue #12, point 7).
urlpatterns += [
    path("soknader/<int:pk>/tilskudd/videreforing/", continuation_views.grantee, name="continuation"),
    path(
        "soknader/<int:pk>/tilskudd/videreforing/<int:continuation_id>/brev.pdf",
        continuation_views.letter,
        name="continuation_letter",
    ),
    path("saksbehandling/tilskudd/<int:grant_id>/videreforing/", continuation_views.staff, name="continuation_staff"),
    path(
        "saksbehandling/tilskudd/<int:grant_id>/videreforing/foresla/",
        continuation_views.propose,
        name="continuation_propose",
    ),
    path(
        "saksbehandling/tilskudd/<int:grant_id>/videreforing/godkjenn/",
        continuation_views.approve,
        name="continuation_approve",
    ),
    path(
        "saksbehandling/tilskudd/<int:grant_id>/videreforing/send-tilbake/",
        continuation_views.return_proposal,
        name="continuation_return",
    ),
    path(
        "saksbehandling/tilskudd/<int:grant_id>/videreforing/stans/", continuation_views.stop, name="continuation_stop"
    ),
]
