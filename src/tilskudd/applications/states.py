"""The application's state machine: every state and every allowed transition, in one place.

An application is edited only in DRAFT or REOPENED (X-R04: locked once
submitted). A caseworker may reopen a submitted application for completion
before assessment; the applicant may withdraw it before a decision.
Casework (issue #4) adds the states after SUBMITTED.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Utkast"
    SUBMITTED = "submitted", "Sendt inn"
    REOPENED = "reopened", "Åpnet for komplettering"
    WITHDRAWN = "withdrawn", "Trukket"


STATUS_EN = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.REOPENED: "Reopened for completion",
    Status.WITHDRAWN: "Withdrawn",
}

#: (from, to) → the action that makes that move.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.REOPENED, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.WITHDRAWN): "withdraw",
    (Status.REOPENED, Status.WITHDRAWN): "withdraw",
    (Status.SUBMITTED, Status.REOPENED): "reopen",
}

EDITABLE = frozenset({Status.DRAFT, Status.REOPENED})


class TransitionNotAllowed(Exception):
    def __init__(self, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(f"An application cannot go from '{current}' to '{target}'.")


def check_transition(current: str, target: str) -> str:
    """The action for a move, or TransitionNotAllowed."""
    try:
        return TRANSITIONS[(current, target)]
    except KeyError:
        raise TransitionNotAllowed(current, target) from None
