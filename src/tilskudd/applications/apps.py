from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Applications (*søknader*): drafts, signatures, submission and receipts."""

    name = "tilskudd.applications"
    verbose_name = "Søknader"
