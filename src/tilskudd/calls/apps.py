from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Calls for applications (*utlysninger*), loaded from definition files."""

    name = "tilskudd.calls"
    verbose_name = "Utlysninger"

    def ready(self) -> None:
        from tilskudd.calls import snapshot  # noqa: PLC0415 - after the app registry

        snapshot.connect()
