from django.urls import path

from tilskudd.grants import overview_views

urlpatterns: list = [
    path("saksbehandling/utlysninger/<slug:slug>/oversikt/", overview_views.overview_page, name="overview"),
    path("saksbehandling/utlysninger/<slug:slug>/oversikt.csv", overview_views.overview_csv, name="overview_csv"),
    path("saksbehandling/utlysninger/<slug:slug>/oversikt.xlsx", overview_views.overview_xlsx, name="overview_xlsx"),
    path("utlysninger/<slug:slug>/tildelinger/", overview_views.public_grants, name="public_grants"),
]
