"""Shared set-up for the decision and letter tests (no tests here).

* :func:`install_frames` — the frames module (``tilskudd.grants.allocation.frames``) the
  decision services write allocations through.
* :func:`ready_for_decision` — an application moved IN_ASSESSMENT with a locked
  assessment directly through the ORM (helpers A and B build those services).
"""

from __future__ import annotations

from django.utils import timezone

from tilskudd.applications.states import Status
from tilskudd.assessment.models import AssessmentLock
from tilskudd.grants.allocation import frames


def install_frames(monkeypatch):
    """The frames module the decision services write allocations through (tests patch its functions)."""
    return frames


def ready_for_decision(application, locked_by):
    """IN_ASSESSMENT with a locked assessment, set directly (the screening and assessment services are elsewhere)."""
    application.status = Status.IN_ASSESSMENT
    application.save(update_fields=["status"])
    AssessmentLock.objects.get_or_create(
        application=application, defaults={"locked_by": locked_by, "locked_at": timezone.now(), "total": 4}
    )
    return application


def amount_applied(application) -> int:
    return int(application.submitted_content["budget"]["amount_applied"])
