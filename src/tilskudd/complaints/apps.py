from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints (*klage*) against published decisions, where the call and the law allow them."""

    name = "tilskudd.complaints"
    verbose_name = "Klager"
