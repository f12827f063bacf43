"""The application's state machine: every state and every allowed transition, in one place.

An application is edited only in DRAFT or REOPENED (X-R04: locked once
submitted). A caseworker may reopen a submitted application for completion
before assessment; the applicant may withdraw it before a decision.
Casework (issue #4) adds the states after SUBMITTED.
"""

from __future__ import annotations

from django.db import models

from tilskudd.audit.actions import AuditAction
from tilskudd.core import states as core_states


class Status(models.TextChoices):
    DRAFT = "draft", "Utkast"
    SUBMITTED = "submitted", "Sendt inn"
    REOPENED = "reopened", "Åpnet for komplettering"
    WITHDRAWN = "withdrawn", "Trukket"
    IN_ASSESSMENT = "in_assessment", "Til vurdering"
    GRANTED = "granted", "Innvilget"
    REFUSED = "refused", "Avslått"
    REJECTED = "rejected", "Avvist"


STATUS_EN = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.REOPENED: "Reopened for completion",
    Status.WITHDRAWN: "Withdrawn",
    Status.IN_ASSESSMENT: "In assessment",
    Status.GRANTED: "Granted",
    Status.REFUSED: "Refused",
    Status.REJECTED: "Rejected",
}

#: (from, to) → the action that makes that move.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.REOPENED, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.WITHDRAWN): "withdraw",
    (Status.REOPENED, Status.WITHDRAWN): "withdraw",
    (Status.SUBMITTED, Status.REOPENED): "reopen",
    # casework
    (Status.SUBMITTED, Status.IN_ASSESSMENT): "accept",
    (Status.IN_ASSESSMENT, Status.WITHDRAWN): "withdraw",
    (Status.IN_ASSESSMENT, Status.GRANTED): "grant",
    (Status.IN_ASSESSMENT, Status.REFUSED): "refuse",
    (Status.SUBMITTED, Status.REJECTED): "reject",
    (Status.REOPENED, Status.REJECTED): "reject",
    (Status.IN_ASSESSMENT, Status.REJECTED): "reject",
    # A complaint reversed (complaints.reversal): back to assessment for the new decision.
    (Status.REFUSED, Status.IN_ASSESSMENT): "reopen_after_complaint",
    (Status.REJECTED, Status.IN_ASSESSMENT): "reopen_after_complaint",
}

#: The audit event each move writes (``record(..., audit_action(move), ...)``).
MOVE_ACTIONS: dict[str, AuditAction] = {
    "submit": AuditAction.APPLICATION_SUBMITTED,
    "withdraw": AuditAction.APPLICATION_WITHDRAWN,
    "reopen": AuditAction.APPLICATION_REOPENED,
    "accept": AuditAction.APPLICATION_ACCEPTED,
    "grant": AuditAction.APPLICATION_GRANTED,
    "refuse": AuditAction.APPLICATION_REFUSED,
    "reject": AuditAction.APPLICATION_REJECTED,
    "reopen_after_complaint": AuditAction.APPLICATION_REOPENED_AFTER_COMPLAINT,
}

EDITABLE = frozenset({Status.DRAFT, Status.REOPENED})
#: Submitted at least once and not withdrawn: the grantor's caseload.
IN_CASEWORK = frozenset(
    {Status.SUBMITTED, Status.REOPENED, Status.IN_ASSESSMENT, Status.GRANTED, Status.REFUSED, Status.REJECTED}
)
#: The statuses after submission, in the order of a case's life (queues and overviews show them so).
AFTER_SUBMISSION = (
    Status.SUBMITTED,
    Status.REOPENED,
    Status.IN_ASSESSMENT,
    Status.GRANTED,
    Status.REFUSED,
    Status.REJECTED,
    Status.WITHDRAWN,
)
#: A decision has been published: nothing more happens to the application itself.
DECIDED = frozenset({Status.GRANTED, Status.REFUSED, Status.REJECTED})


class TransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "An application"


def check_transition(current: str, target: str) -> str:
    """The action for a move, or TransitionNotAllowed."""
    return core_states.move_of(TRANSITIONS, current, target, TransitionNotAllowed)


def audit_action(move: str) -> AuditAction:
    """The audit event a move (a value of TRANSITIONS) writes."""
    return MOVE_ACTIONS[move]
