from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    """The participants of an individual report (C0-R12): personal data encrypted at rest, read with a reason."""

    name = "tilskudd.participants"
    verbose_name = "Individrapportering"

    def ready(self) -> None:
        from tilskudd.participants import services  # noqa: PLC0415 - models load once the apps are ready
        from tilskudd.reports.services import PERSONAL_DATA_READY  # noqa: PLC0415

        if services.has_participants not in PERSONAL_DATA_READY:
            PERSONAL_DATA_READY.append(services.has_participants)
