"""The payment batch's state machine (*betalingsoppdrag*): every state and every allowed move, in one table.

A caseworker prepares a batch of due terms; an approver who did not prepare it approves it (four eyes) or
returns it (its terms go back to planned); the first download of its pain.001 marks it sent to the bank
(exported); once the bank has booked every payment in it, it is settled.
"""

from __future__ import annotations

from django.db import models

from tilskudd.core import states as core_states


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", "Til godkjenning"
    APPROVED = "approved", "Godkjent"
    EXPORTED = "exported", "Sendt til banken"
    SETTLED = "settled", "Bokført"
    RETURNED = "returned", "Sendt tilbake"


BATCH_STATUS_EN = {
    BatchStatus.PREPARED: "Awaiting approval",
    BatchStatus.APPROVED: "Approved",
    BatchStatus.EXPORTED: "Sent to the bank",
    BatchStatus.SETTLED: "Booked",
    BatchStatus.RETURNED: "Returned",
}

BATCH_TRANSITIONS: dict[tuple[str, str], str] = {
    (BatchStatus.PREPARED, BatchStatus.APPROVED): "approve",
    (BatchStatus.PREPARED, BatchStatus.RETURNED): "return",
    (BatchStatus.APPROVED, BatchStatus.RETURNED): "return",
    (BatchStatus.APPROVED, BatchStatus.EXPORTED): "export",
    (BatchStatus.EXPORTED, BatchStatus.SETTLED): "settle",
}

#: A batch in one of these states may give its files (the first download moves an approved one to exported).
DOWNLOADABLE = frozenset({BatchStatus.APPROVED, BatchStatus.EXPORTED, BatchStatus.SETTLED})


class BatchTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A payment batch"


def check_batch_transition(current: str, target: str) -> str:
    """The action for a move of a batch, or BatchTransitionNotAllowed."""
    return core_states.move_of(BATCH_TRANSITIONS, current, target, BatchTransitionNotAllowed)
