from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from tilskudd.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # The language switch needs no CSRF token: forging it can only change a visitor's language, and
    # without a token in its form the public pages are the same for everyone (issue #14, point 3).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
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
