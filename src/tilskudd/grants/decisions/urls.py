from django.urls import path

from tilskudd.grants.decisions import views

urlpatterns: list = [
    path("saksbehandling/saker/<int:case_id>/vedtak/", views.prepare, name="prepare"),
    path("saksbehandling/godkjenning/", views.approvals, name="approvals"),
    path("saksbehandling/vedtak/<int:decision_id>/", views.decision, name="decision"),
    path("saksbehandling/vedtak/<int:decision_id>/brev.pdf", views.letter_preview, name="letter_preview"),
    path("saksbehandling/utlysninger/<slug:slug>/kunngjor/", views.publish, name="publish"),
]
