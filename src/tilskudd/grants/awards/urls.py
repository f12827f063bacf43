"""The grant's pages: the grantee's (acceptance) and the caseworker's. Each view module adds its routes here."""

from django.urls import path

from tilskudd.grants.awards import staff_views

urlpatterns: list = []

# The caseworker's (staff_views).
urlpatterns += [
    path("saksbehandling/utlysninger/<slug:slug>/tilskudd/", staff_views.staff_grants, name="staff_grants"),
    path("saksbehandling/tilskudd/<int:grant_id>/", staff_views.staff_grant, name="staff_grant"),
    path("saksbehandling/tilskudd/<int:grant_id>/trekk-tilbake/", staff_views.cancel, name="staff_grant_cancel"),
    path("saksbehandling/tilskudd/<int:grant_id>/ny-frist/", staff_views.reopen, name="staff_grant_reopen"),
]
