from django.urls import path

from tilskudd.assessment import views

app_name = "assessment"

urlpatterns = [
    path("saksbehandling/vurderinger/", views.mine, name="mine"),
    path("saksbehandling/vurderinger/<int:assignment_id>/", views.assignment, name="assignment"),
    path("saksbehandling/saker/<int:case_id>/vurdering/", views.summary, name="summary"),
]
