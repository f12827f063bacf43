"""Shared helpers for the grants tests: put applications in assessment with a locked total, via the ORM."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tilskudd.applications.states import Status
from tilskudd.assessment.models import AssessmentLock


def in_assessment(application, total=None, locked=True, by=None):
    """``application`` in assessment; with a locked assessment of ``total`` unless ``locked`` is False."""
    application.status = Status.IN_ASSESSMENT
    application.save(update_fields=["status"])
    if locked:
        AssessmentLock.objects.update_or_create(
            application=application,
            defaults={
                "locked_by": by or application.created_by,
                "locked_at": timezone.now(),
                "total": None if total is None else Decimal(str(total)),
            },
        )
    return application


def area(application) -> str:
    return (application.submitted_content.get("areas") or [""])[0]
