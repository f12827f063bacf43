from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail (*logg*): who did what, when and why (X-R06)."""

    name = "tilskudd.audit"
    verbose_name = "Logg"
