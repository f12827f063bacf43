from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API under /api/v1/ (django-ninja), for integrations."""

    name = "tilskudd.api"
    verbose_name = "API"
