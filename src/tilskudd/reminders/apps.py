from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders (*påminnelser*) of acceptance deadlines and report deadlines, by e-mail (issue #12, point 4)."""

    name = "tilskudd.reminders"
    verbose_name = "Påminnelser"

    def ready(self) -> None:
        from tilskudd.grants.awards import timeline  # noqa: PLC0415 - models load once the apps are ready
        from tilskudd.reminders.timeline import reminder_entries  # noqa: PLC0415

        timeline.register(reminder_entries)
