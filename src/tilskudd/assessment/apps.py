from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Assessment (*faglig vurdering*): assessors, disqualification, scores per criterion, the lock."""

    name = "tilskudd.assessment"
    verbose_name = "Vurdering"
