from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payments (*utbetaling*): payment orders in batches with four eyes, the bank's files (ISO 20022)."""

    name = "tilskudd.payments"
    verbose_name = "Utbetalinger"
