from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reporting duties (*rapporteringsplikt*) and the grantee's reports and accounts (issue #12)."""

    name = "tilskudd.reports"
    verbose_name = "Rapportering"

    def ready(self) -> None:
        from tilskudd.grants.awards import timeline  # noqa: PLC0415 - models load once the apps are ready
        from tilskudd.grants.signals import grant_accepted  # noqa: PLC0415
        from tilskudd.payments.services import register_credit_matcher  # noqa: PLC0415
        from tilskudd.reports import duties  # noqa: PLC0415
        from tilskudd.reports.repayment import match_credits  # noqa: PLC0415
        from tilskudd.reports.timeline import report_entries  # noqa: PLC0415

        grant_accepted.connect(duties.on_grant_accepted, dispatch_uid="reports.duties_on_acceptance")
        timeline.register(report_entries)
        register_credit_matcher(match_credits)  # repayments read from the bank's camt.054 (issue #12, point 5)
