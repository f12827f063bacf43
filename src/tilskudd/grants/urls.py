from django.urls import path  # noqa: F401 - the routes are added as the pages are built

app_name = "grants"

urlpatterns: list = []
