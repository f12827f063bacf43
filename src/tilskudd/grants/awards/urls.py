"""The grant's pages: the grantee's (acceptance) and the caseworker's. Each view module adds its routes here."""

from django.urls import path

from tilskudd.grants.awards import applicant_views, staff_views

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
