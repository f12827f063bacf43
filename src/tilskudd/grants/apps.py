from django.apps import AppConfig


class GrantsConfig(AppConfig):
    """Grants (*tilskudd*): frames, allocation, decisions (*vedtak*) and letters (*brev*)."""

    name = "tilskudd.grants"
    verbose_name = "Tilskudd og vedtak"

    def ready(self) -> None:
        # Models load once the apps are ready, hence the import here; it connects grants' receivers of
        # casework's signals (a proposed rejection, the question whether a decision holds an application).
        from tilskudd.grants import receivers  # noqa: F401, PLC0415
        from tilskudd.grants.awards import next_steps  # noqa: F401, PLC0415 - registers Min side's grant steps
