"""The state machine of a multi-year grant's continuation into next year (*videreføring*, issue #12 point 7).

The grantee's signatory (or a delegate) confirms the conditions and files next year's plan and budget (FILED);
a caseworker of the grantor proposes next year's amount within next year's frame (PROPOSED); an approver who
did not propose it approves it (four eyes: CONTINUED, next year's grant is made) or returns it (FILED again).
Where the conditions no longer hold (C4-R09), a caseworker stops the grant (STOPPED), filed or not: next
year's commitment is released. CONTINUED and STOPPED are final. Read through ``tilskudd.core.states.move_of``.
"""

from __future__ import annotations

from django.db import models

from tilskudd.core import states as core_states


class ContinuationStatus(models.TextChoices):
    FILED = "filed", "Plan for neste år sendt"
    PROPOSED = "proposed", "Beløp foreslått, venter på godkjenning"
    CONTINUED = "continued", "Videreført"
    STOPPED = "stopped", "Stanset"


CONTINUATION_STATUS_EN = {
    ContinuationStatus.FILED: "Next year's plan filed",
    ContinuationStatus.PROPOSED: "Amount proposed, awaiting approval",
    ContinuationStatus.CONTINUED: "Continued",
    ContinuationStatus.STOPPED: "Stopped",
}

CONTINUATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (ContinuationStatus.FILED, ContinuationStatus.PROPOSED): "propose",
    (ContinuationStatus.PROPOSED, ContinuationStatus.FILED): "return",
    (ContinuationStatus.PROPOSED, ContinuationStatus.CONTINUED): "approve",
    (ContinuationStatus.FILED, ContinuationStatus.STOPPED): "stop",
    (ContinuationStatus.PROPOSED, ContinuationStatus.STOPPED): "stop",
}


class ContinuationTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A continuation"


def check_continuation_transition(current: str, target: str) -> str:
    return core_states.move_of(CONTINUATION_TRANSITIONS, current, target, ContinuationTransitionNotAllowed)
