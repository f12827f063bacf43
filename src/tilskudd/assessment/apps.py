from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Assessment (*faglig vurdering*): assessors, disqualification, scores per criterion, the lock."""

    name = "tilskudd.assessment"
    verbose_name = "Vurdering"

    def ready(self) -> None:
        from tilskudd.assessment.models import Assignment  # noqa: PLC0415 - models load once the apps are ready
        from tilskudd.casework.access import add_case_reader  # noqa: PLC0415 - models load once the apps are ready

        def assigned_to_assess(user, case) -> bool:
            """An assessor assigned to the case, not disqualified, may read it (casework asks)."""
            assigned = Assignment.objects.filter(application=case.application, assessor=user)
            return assigned.exclude(disqualified=True).exists()

        add_case_reader(assigned_to_assess)
