from django.contrib import admin
from django.urls import include, path

from tilskudd.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("tilskudd.accounts.urls")),
    path("", include("tilskudd.calls.urls")),
    path("", include("tilskudd.orgs.urls")),
    path("", include("tilskudd.applications.urls")),
    path("", include("tilskudd.api.tokens_views")),
    path("", include("tilskudd.casework.urls")),
    path("", include("tilskudd.assessment.urls")),
    path("", include("tilskudd.grants.urls")),
    path("", include("tilskudd.complaints.urls")),
    path("", include("tilskudd.reports.urls")),
    path("", include("tilskudd.participants.urls")),
    path("", include("tilskudd.amendments.urls")),
    path("", include("tilskudd.payments.urls")),
]
