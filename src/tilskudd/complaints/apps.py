from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints (*klage*) against published decisions, where the call and the law allow them."""

    name = "tilskudd.complaints"
    verbose_name = "Klager"

    def ready(self) -> None:
        # Registers the grant timeline's provider and Min side's complaint deadline.
        from tilskudd.complaints import next_steps, timeline  # noqa: F401, PLC0415
