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
    #: Reversed after a complaint (*omgjort*, fvl § 33): a new decision takes its place.
    SUPERSEDED = "superseded", "Omgjort"


DECISION_STATUS_EN = {
    DecisionStatus.PREPARED: "Awaiting approval",
    DecisionStatus.APPROVED: "Approved",
    DecisionStatus.RETURNED: "Returned",
    DecisionStatus.CANCELLED: "Cancelled",
    DecisionStatus.PUBLISHED: "Sent to the applicant",
    DecisionStatus.SUPERSEDED: "Reversed",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (DecisionStatus.PREPARED, DecisionStatus.APPROVED): "approve",
    (DecisionStatus.PREPARED, DecisionStatus.RETURNED): "return",
    (DecisionStatus.PREPARED, DecisionStatus.CANCELLED): "cancel",
    (DecisionStatus.APPROVED, DecisionStatus.RETURNED): "return",
    (DecisionStatus.APPROVED, DecisionStatus.PUBLISHED): "publish",
    # A complaint reversed (complaints.reversal): the published decision gives way to a new one.
    (DecisionStatus.PUBLISHED, DecisionStatus.SUPERSEDED): "supersede",
}

#: A decision in one of these states holds the application (at most one at a time)
#: and, for a grant, counts against the frame. A superseded decision is not active: its successor is.
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


# --- the grant (*tilskudd*) after publication ----------------------------------------------


class GrantStatus(models.TextChoices):
    """The grant's own state machine, from the published grant decision to its end (issue #11, point 1)."""

    OFFERED = "offered", "Venter på aksept"
    ACCEPTED = "accepted", "Akseptert"
    DECLINED = "declined", "Takket nei"
    LAPSED = "lapsed", "Ikke akseptert innen fristen"
    IN_PAYMENT = "in_payment", "Under utbetaling"
    PAID_OUT = "paid_out", "Utbetalt"
    REPORTED = "reported", "Rapportert"
    CLOSED = "closed", "Avsluttet"
    REPAYMENT = "repayment", "Krav om tilbakebetaling"
    CANCELLED = "cancelled", "Trukket tilbake"


GRANT_STATUS_EN = {
    GrantStatus.OFFERED: "Awaiting acceptance",
    GrantStatus.ACCEPTED: "Accepted",
    GrantStatus.DECLINED: "Declined",
    GrantStatus.LAPSED: "Not accepted in time",
    GrantStatus.IN_PAYMENT: "Being paid",
    GrantStatus.PAID_OUT: "Paid out",
    GrantStatus.REPORTED: "Reported",
    GrantStatus.CLOSED: "Closed",
    GrantStatus.REPAYMENT: "Repayment claimed",
    GrantStatus.CANCELLED: "Cancelled",
}

GRANT_TRANSITIONS: dict[tuple[str, str], str] = {
    (GrantStatus.OFFERED, GrantStatus.ACCEPTED): "accept",
    (GrantStatus.OFFERED, GrantStatus.DECLINED): "decline",
    (GrantStatus.OFFERED, GrantStatus.LAPSED): "lapse",
    # A caseworker may still let a lapsed offer be accepted (the letter's deadline is the grantor's to waive):
    # it is offered again with a new deadline (grants.awards.changes.reopen_lapsed).
    (GrantStatus.LAPSED, GrantStatus.OFFERED): "reopen",
    (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT): "pay_term",
    (GrantStatus.ACCEPTED, GrantStatus.PAID_OUT): "pay_last_term",
    (GrantStatus.IN_PAYMENT, GrantStatus.PAID_OUT): "pay_last_term",
    (GrantStatus.PAID_OUT, GrantStatus.REPORTED): "report",
    (GrantStatus.REPORTED, GrantStatus.CLOSED): "close",
    (GrantStatus.IN_PAYMENT, GrantStatus.REPAYMENT): "claim_repayment",
    (GrantStatus.PAID_OUT, GrantStatus.REPAYMENT): "claim_repayment",
    (GrantStatus.REPORTED, GrantStatus.REPAYMENT): "claim_repayment",
    (GrantStatus.REPAYMENT, GrantStatus.CLOSED): "close",
    (GrantStatus.OFFERED, GrantStatus.CANCELLED): "cancel",
    (GrantStatus.LAPSED, GrantStatus.CANCELLED): "cancel",
    (GrantStatus.ACCEPTED, GrantStatus.CANCELLED): "cancel",
    (GrantStatus.IN_PAYMENT, GrantStatus.CANCELLED): "cancel",
}

#: A grant in one of these states holds its amount in the frame (what is not paid is freed on leaving them).
GRANT_COUNTS = frozenset(
    {GrantStatus.OFFERED, GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT, GrantStatus.PAID_OUT, GrantStatus.REPORTED}
)


class GrantTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A grant"


def check_grant_transition(current: str, target: str) -> str:
    """The action for a move of a grant, or GrantTransitionNotAllowed."""
    return core_states.move_of(GRANT_TRANSITIONS, current, target, GrantTransitionNotAllowed)


class TermStatus(models.TextChoices):
    """A payment term (*utbetalingstermin*) of a grant."""

    PLANNED = "planned", "Planlagt"
    HELD = "held", "Holdt tilbake"
    ORDERED = "ordered", "Til utbetaling"
    PAID = "paid", "Utbetalt"
    CANCELLED = "cancelled", "Bortfalt"


TERM_STATUS_EN = {
    TermStatus.PLANNED: "Planned",
    TermStatus.HELD: "Held",
    TermStatus.ORDERED: "Ordered for payment",
    TermStatus.PAID: "Paid",
    TermStatus.CANCELLED: "Cancelled",
}

TERM_TRANSITIONS: dict[tuple[str, str], str] = {
    (TermStatus.PLANNED, TermStatus.HELD): "hold",
    (TermStatus.HELD, TermStatus.PLANNED): "release",
    (TermStatus.PLANNED, TermStatus.ORDERED): "order",
    (TermStatus.ORDERED, TermStatus.PLANNED): "unorder",
    (TermStatus.ORDERED, TermStatus.PAID): "pay",
    (TermStatus.PLANNED, TermStatus.CANCELLED): "cancel",
    (TermStatus.HELD, TermStatus.CANCELLED): "cancel",
}


class TermTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A payment term"


def check_term_transition(current: str, target: str) -> str:
    """The action for a move of a payment term, or TermTransitionNotAllowed."""
    return core_states.move_of(TERM_TRANSITIONS, current, target, TermTransitionNotAllowed)
