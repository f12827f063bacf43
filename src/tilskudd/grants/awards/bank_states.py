"""The state machine of a request to change the grant's bank account (*endring av kontonummer*, issue #11 point 4).

The grantee's signatory (or a delegate) asks, signed; a caseworker of the grantor confirms it (the account on
the grant changes) or refuses it with a reason. Both ends are final: a new change is a new request. The table
reads through ``tilskudd.core.states.move_of``; ``docs/casework.md`` lists it (tests/grants/test_bank_account_change.py
keeps the two in step).
"""

from __future__ import annotations

from django.db import models

from tilskudd.core import states as core_states


class BankChangeStatus(models.TextChoices):
    REQUESTED = "requested", "Venter på bekreftelse"
    CONFIRMED = "confirmed", "Bekreftet"
    REFUSED = "refused", "Avvist"


BANK_CHANGE_STATUS_EN = {
    BankChangeStatus.REQUESTED: "Awaiting confirmation",
    BankChangeStatus.CONFIRMED: "Confirmed",
    BankChangeStatus.REFUSED: "Refused",
}

BANK_CHANGE_TRANSITIONS: dict[tuple[str, str], str] = {
    (BankChangeStatus.REQUESTED, BankChangeStatus.CONFIRMED): "confirm",
    (BankChangeStatus.REQUESTED, BankChangeStatus.REFUSED): "refuse",
}


class BankChangeTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A change of bank account"


def check_bank_change_transition(current: str, target: str) -> str:
    return core_states.move_of(BANK_CHANGE_TRANSITIONS, current, target, BankChangeTransitionNotAllowed)
