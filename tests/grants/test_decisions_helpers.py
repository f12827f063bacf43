"""Shared set-up for the decision and letter tests (no tests here).

* :func:`frames_module` — helper C's ``tilskudd.grants.frames`` when it exists;
  until then a stand-in with the same public names (``set_allocation`` writing
  the allocation line, ``FrameExceeded``) so the decision services can be
  tested on their own.
* :func:`ready_for_decision` — an application moved IN_ASSESSMENT with a locked
  assessment directly through the ORM (helpers A and B build those services).
"""

from __future__ import annotations

import sys
import types

from django.utils import timezone

from tilskudd.applications.states import Status
from tilskudd.assessment.models import AssessmentLock


class _StandInFrameExceeded(Exception):
    def __init__(self, reason_nb: str = "Rammen er brukt opp.", reason_en: str = "The frame is used up."):
        self.reason_nb, self.reason_en = reason_nb, reason_en
        super().__init__(reason_en)


def _stand_in_set_allocation(user, application_id, year, amount, *, explanation_nb="", explanation_en="", source="caseworker"):
    from tilskudd.grants.models import AllocationLine

    line, _ = AllocationLine.objects.update_or_create(
        application_id=application_id,
        year=year,
        defaults={
            "amount": amount,
            "explanation_nb": explanation_nb,
            "explanation_en": explanation_en,
            "source": source,
            "set_by": user,
        },
    )
    return line


def install_frames(monkeypatch):
    """The real frames module, or the stand-in put where the services import it from."""
    try:
        from tilskudd.grants import frames  # noqa: F401

        return frames
    except ImportError:
        import tilskudd.grants

        module = types.ModuleType("tilskudd.grants.frames")
        module.FrameExceeded = _StandInFrameExceeded
        module.set_allocation = _stand_in_set_allocation
        monkeypatch.setitem(sys.modules, "tilskudd.grants.frames", module)
        monkeypatch.setattr(tilskudd.grants, "frames", module, raising=False)
        return module


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
