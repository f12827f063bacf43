from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the system: organisations, people and open copies of the calls."""

    name = "tilskudd.demo"
    verbose_name = "Demodata"
