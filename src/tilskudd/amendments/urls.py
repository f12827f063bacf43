"""The change request pages: the grantee's under the grant, the caseworker's under «saksbehandling»."""

from django.urls import path

from tilskudd.amendments import views

app_name = "amendments"

urlpatterns = [
    path("soknader/<int:pk>/tilskudd/endring/", views.grantee_page, name="grantee"),
    path("soknader/<int:pk>/tilskudd/endring/<int:amendment_id>/trekk/", views.withdraw, name="withdraw"),
    path("soknader/<int:pk>/tilskudd/endring/<int:amendment_id>/brev.pdf", views.letter, name="letter"),
    path("saksbehandling/endringer/<int:amendment_id>/", views.staff_page, name="staff"),
    path("saksbehandling/endringer/<int:amendment_id>/svar/", views.answer, name="answer"),
]
