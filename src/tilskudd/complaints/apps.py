from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints (*klage*) against published decisions, where the call and the law allow them."""

    name = "tilskudd.complaints"
    verbose_name = "Klager"

    def ready(self) -> None:
        from tilskudd.complaints import timeline  # noqa: F401, PLC0415 - registers the grant timeline's provider
