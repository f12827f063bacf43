from django.urls import path

from tilskudd.grants.allocation import views as allocation_views

urlpatterns: list = [
    path("saksbehandling/utlysninger/<slug:slug>/fordeling/", allocation_views.allocation_page, name="allocation"),
    path("saksbehandling/utlysninger/<slug:slug>/fordeling/forslag/", allocation_views.propose, name="propose"),
    path(
        "saksbehandling/utlysninger/<slug:slug>/fordeling/<int:application_id>/",
        allocation_views.set_line,
        name="set_line",
    ),
    path("saksbehandling/utlysninger/<slug:slug>/rammer/", allocation_views.set_frame, name="set_frame"),
]
