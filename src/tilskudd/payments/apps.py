from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payments (*utbetaling*): payment orders in batches with four eyes, the bank's files (ISO 20022)."""

    name = "tilskudd.payments"
    verbose_name = "Utbetalinger"

    def ready(self) -> None:
        from tilskudd.grants.awards import timeline  # noqa: PLC0415 - models load once the apps are ready
        from tilskudd.payments.timeline import payment_entries  # noqa: PLC0415

        timeline.register(payment_entries)
