"""The reporting duty's state machine (*rapporteringsplikt*): every state and every allowed move, in one table.

A duty is open until the grantee's signatory delivers the report; the caseworker approves it or asks for
changes, and a report with changes asked for is delivered again. Overdue is not a state: it is derived from
the due date and the day in Europe/Oslo (:func:`is_overdue`). «Delivered» (*levert*), not «submitted»: the
application's machine already has a ``submitted`` state, and ``docs/casework.md`` lists the machines side by
side (see docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from tilskudd.core import states as core_states


class DutyStatus(models.TextChoices):
    OPEN = "open", "Ikke levert"
    DELIVERED = "delivered", "Levert"
    APPROVED = "approved", "Godkjent"
    CHANGES_REQUESTED = "changes_requested", "Endringer etterspurt"


DUTY_STATUS_EN = {
    DutyStatus.OPEN: "Not delivered",
    DutyStatus.DELIVERED: "Delivered",
    DutyStatus.APPROVED: "Approved",
    DutyStatus.CHANGES_REQUESTED: "Changes requested",
}

DUTY_TRANSITIONS: dict[tuple[str, str], str] = {
    (DutyStatus.OPEN, DutyStatus.DELIVERED): "deliver",
    (DutyStatus.DELIVERED, DutyStatus.APPROVED): "approve_report",
    (DutyStatus.DELIVERED, DutyStatus.CHANGES_REQUESTED): "request_changes",
    (DutyStatus.CHANGES_REQUESTED, DutyStatus.DELIVERED): "deliver",
}

#: The grantee may deliver a report in these states.
DELIVERABLE = frozenset({DutyStatus.OPEN, DutyStatus.CHANGES_REQUESTED})


class TransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A reporting duty"


def check_duty_transition(current: str, target: str) -> str:
    """The action for a move, or TransitionNotAllowed."""
    return core_states.move_of(DUTY_TRANSITIONS, current, target, TransitionNotAllowed)


def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    """A duty not yet delivered (or sent back) whose due day has passed, judged in Europe/Oslo."""
    return status in DELIVERABLE and due is not None and today > due


# --- the repayment claim (*krav om tilbakebetaling*, issue #12 point 5) ------------------------------


class ClaimStatus(models.TextChoices):
    PREPARED = "prepared", "Til godkjenning"
    APPROVED = "approved", "Godkjent"
    SENT = "sent", "Sendt"
    PAID = "paid", "Betalt"
    CANCELLED = "cancelled", "Avbrutt"


CLAIM_STATUS_EN = {
    ClaimStatus.PREPARED: "Awaiting approval",
    ClaimStatus.APPROVED: "Approved",
    ClaimStatus.SENT: "Sent",
    ClaimStatus.PAID: "Paid",
    ClaimStatus.CANCELLED: "Cancelled",
}

#: Prepared by a caseworker, approved by another person with the approver role (four eyes), sent with its letter,
#: paid in full (by hand or from the bank's statement); cancelled before it is sent.
CLAIM_TRANSITIONS: dict[tuple[str, str], str] = {
    (ClaimStatus.PREPARED, ClaimStatus.APPROVED): "approve",
    (ClaimStatus.PREPARED, ClaimStatus.CANCELLED): "cancel",
    (ClaimStatus.APPROVED, ClaimStatus.CANCELLED): "cancel",
    (ClaimStatus.APPROVED, ClaimStatus.SENT): "send",
    (ClaimStatus.SENT, ClaimStatus.PAID): "pay",
}

#: A claim in one of these states is the grant's claim (at most one at a time).
CLAIM_ACTIVE = frozenset({ClaimStatus.PREPARED, ClaimStatus.APPROVED, ClaimStatus.SENT})


class ClaimTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A repayment claim"


def check_claim_transition(current: str, target: str) -> str:
    """The action for a move of a repayment claim, or ClaimTransitionNotAllowed."""
    return core_states.move_of(CLAIM_TRANSITIONS, current, target, ClaimTransitionNotAllowed)
