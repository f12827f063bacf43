"""The state machine of a change request (*endringsanmodning*, issue #12 point 6).

The grantee asks (signed); a caseworker of the grantor consents (the grant changes) or refuses, each with a
letter; the grantee may withdraw a request not yet answered. All three ends are final: asking again is a new
request. The table reads through ``tilskudd.core.states.move_of``.
"""

from __future__ import annotations

from django.db import models

from tilskudd.core import states as core_states


class AmendmentKind(models.TextChoices):
    CARRY_OVER = "carry_over", "Overføring av ubrukte midler til neste år"
    CHANGE_OF_USE = "change_of_use", "Endret bruk av tilskuddet"


AMENDMENT_KIND_EN = {
    AmendmentKind.CARRY_OVER: "Carrying unused funds into next year",
    AmendmentKind.CHANGE_OF_USE: "Changed use of the grant",
}


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", "Venter på svar"
    CONSENTED = "consented", "Samtykke gitt"
    REFUSED = "refused", "Avslått"
    WITHDRAWN = "withdrawn", "Trukket"


AMENDMENT_STATUS_EN = {
    AmendmentStatus.REQUESTED: "Awaiting an answer",
    AmendmentStatus.CONSENTED: "Consented",
    AmendmentStatus.REFUSED: "Refused",
    AmendmentStatus.WITHDRAWN: "Withdrawn",
}

AMENDMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (AmendmentStatus.REQUESTED, AmendmentStatus.CONSENTED): "consent",
    (AmendmentStatus.REQUESTED, AmendmentStatus.REFUSED): "refuse",
    (AmendmentStatus.REQUESTED, AmendmentStatus.WITHDRAWN): "withdraw",
}


class AmendmentTransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A change request"


def check_amendment_transition(current: str, target: str) -> str:
    return core_states.move_of(AMENDMENT_TRANSITIONS, current, target, AmendmentTransitionNotAllowed)
