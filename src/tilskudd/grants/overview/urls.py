from django.urls import path

from tilskudd.grants.overview import exports, views

urlpatterns: list = [
    path("saksbehandling/utlysninger/<slug:slug>/oversikt/", views.overview_page, name="overview"),
    path("saksbehandling/utlysninger/<slug:slug>/oversikt.csv", exports.overview_csv, name="overview_csv"),
    path("saksbehandling/utlysninger/<slug:slug>/oversikt.xlsx", exports.overview_xlsx, name="overview_xlsx"),
    path("utlysninger/<slug:slug>/tildelinger/", views.public_grants, name="public_grants"),
]
