from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel: shared template tags and partials (no models)."""

    name = "tilskudd.core"
    label = "core"
    verbose_name = "Kjerne / kernel"
