from django.urls import path

from tilskudd.calls import statements, views

app_name = "calls"

urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("utlysninger/<slug:slug>/", views.call_detail, name="call_detail"),
    path("tilgjengelighetserklaering/", statements.accessibility, name="accessibility"),
    path("personvern/", statements.privacy, name="privacy"),
]
