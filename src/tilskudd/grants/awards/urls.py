"""The grant's pages: the grantee's (acceptance) and the caseworker's. Each view module adds its routes here."""

from django.urls import path  # noqa: F401 (the view modules' routes are added below)

urlpatterns: list = []
