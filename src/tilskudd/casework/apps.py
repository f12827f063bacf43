from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The grantor's side of a case (*saksbehandling*): grantor staff, routing, intake and screening."""

    name = "tilskudd.casework"
    verbose_name = "Saksbehandling"

    def ready(self) -> None:
        from tilskudd.casework import signals  # noqa: F401, PLC0415  - connects the submission receiver
