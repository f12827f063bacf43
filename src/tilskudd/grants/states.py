"""The decision's state machine (*vedtak*): every state and every allowed transition, in one place.

A caseworker prepares a decision; an approver who is not that caseworker
approves it (four eyes) or returns it; a prepared decision may be cancelled.
Approved decisions of a call are published together, which moves each
application to GRANTED, REFUSED or REJECTED (``tilskudd.applications.states``).
"""

from __future__ import annotations

from django.db import models

from tilskudd.core import states as core_states


class DecisionKind(models.TextChoices):
    GRANT = "grant", "Tilskudd"  # innvilgelse, full or partial
    REFUSAL = "refusal", "Avslag"
    REJECTION = "rejection", "Avvisning"


DECISION_KIND_EN = {
    DecisionKind.GRANT: "Grant",
    DecisionKind.REFUSAL: "Refusal",
    DecisionKind.REJECTION: "Rejection",
}


class DecisionStatus(models.TextChoices):
    PREPARED = "prepared", "Til godkjenning"
    APPROVED = "approved", "Godkjent"
    RETURNED = "returned", "Sendt tilbake"
    CANCELLED = "cancelled", "Avbrutt"
    PUBLISHED = "published", "Sendt søker"


DECISION_STATUS_EN = {
    DecisionStatus.PREPARED: "Awaiting approval",
    DecisionStatus.APPROVED: "Approved",
    DecisionStatus.RETURNED: "Returned",
    DecisionStatus.CANCELLED: "Cancelled",
    DecisionStatus.PUBLISHED: "Sent to the applicant",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (DecisionStatus.PREPARED, DecisionStatus.APPROVED): "approve",
    (DecisionStatus.PREPARED, DecisionStatus.RETURNED): "return",
    (DecisionStatus.PREPARED, DecisionStatus.CANCELLED): "cancel",
    (DecisionStatus.APPROVED, DecisionStatus.RETURNED): "return",
    (DecisionStatus.APPROVED, DecisionStatus.PUBLISHED): "publish",
}

#: A decision in one of these states holds the application (at most one at a time)
#: and, for a grant, counts against the frame.
ACTIVE = frozenset({DecisionStatus.PREPARED, DecisionStatus.APPROVED, DecisionStatus.PUBLISHED})

#: The application's state after a decision of each kind is published.
APPLICATION_STATUS_AFTER = {
    DecisionKind.GRANT: "granted",
    DecisionKind.REFUSAL: "refused",
    DecisionKind.REJECTION: "rejected",
}


class TransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A decision"


def check_transition(current: str, target: str) -> str:
    """The action for a move, or TransitionNotAllowed."""
    return core_states.move_of(TRANSITIONS, current, target, TransitionNotAllowed)
