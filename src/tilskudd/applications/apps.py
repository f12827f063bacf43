from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Applications (*søknader*): drafts, signatures, submission and receipts."""

    name = "tilskudd.applications"
    verbose_name = "Søknader"

    def ready(self) -> None:
        from tilskudd.applications import receivers  # noqa: F401, PLC0415  - connects the receivers
