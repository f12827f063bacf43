"""The participant pages: the grantee's under the report, the caseworker's under «saksbehandling»."""

from django.urls import path

from tilskudd.participants import views

app_name = "participants"

urlpatterns = [
    path("soknader/<int:pk>/rapporter/<int:duty_id>/deltakere/", views.grantee, name="grantee"),
    path("saksbehandling/rapportplikter/<int:duty_id>/deltakere/", views.staff, name="staff"),
]
