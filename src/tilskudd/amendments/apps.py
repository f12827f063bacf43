from django.apps import AppConfig


class AmendmentsConfig(AppConfig):
    """Carry-over of unused funds and change of use (*endringer*, issue #12 point 6): asked by the grantee,
    consented to or refused by the grantor's caseworker with a letter."""

    name = "tilskudd.amendments"
    verbose_name = "Endringer i tilskudd"

    def ready(self) -> None:
        from tilskudd.amendments.carried import carried_into  # noqa: PLC0415 - models load once apps are ready
        from tilskudd.amendments.timeline import amendment_entries  # noqa: PLC0415
        from tilskudd.grants.awards import carried, timeline  # noqa: PLC0415

        timeline.register(amendment_entries)
        carried.register(carried_into)  # next year's accounts and continuation show the carried amount
