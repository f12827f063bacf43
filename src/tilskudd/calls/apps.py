from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Calls for applications (*utlysninger*), loaded from definition files."""

    name = "tilskudd.calls"
    verbose_name = "Utlysninger"
