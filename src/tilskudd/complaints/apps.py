from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    """Complaints (*klage*) against published decisions, where the call and the law allow them."""

    name = "tilskudd.complaints"
    verbose_name = "Klager"

    def ready(self) -> None:
        # Registers the grant timeline's provider and Min side's complaint deadline.
        from tilskudd.applications import told  # noqa: PLC0415
        from tilskudd.complaints import next_steps, reversal, services, timeline  # noqa: F401, PLC0415
        from tilskudd.grants.signals import decision_published  # noqa: PLC0415

        # The application reopened by a reversal reads as refused to the applicant until the new decision is out.
        told.register(services.told_application_status)
        # A complaint allowed is told to the applicant when its new decision is published, not before.
        decision_published.connect(reversal.on_decision_published, dispatch_uid="complaints.announce_reversal")
