"""The complaint's state machine (*klage*, forvaltningsloven §§ 28–34): every state and every move, in one table.

The grantor that decided either reverses its decision (in full or in part, § 33 second paragraph) or
forwards the complaint to the appeal body (*klageinstansen*), which upholds the decision or reverses it.
The applicant may withdraw a complaint that is not yet decided.
"""

from __future__ import annotations

from django.db import models

from tilskudd.core import states as core_states


class ComplaintStatus(models.TextChoices):
    FILED = "filed", "Mottatt"
    REVERSED = "reversed", "Tatt til følge av forvaltningen"
    FORWARDED = "forwarded", "Sendt til klageinstansen"
    UPHELD = "upheld", "Vedtaket opprettholdt av klageinstansen"
    REVERSED_BY_APPEAL_BODY = "reversed_by_appeal_body", "Tatt til følge av klageinstansen"
    WITHDRAWN = "withdrawn", "Trukket"


COMPLAINT_STATUS_EN = {
    ComplaintStatus.FILED: "Received",
    ComplaintStatus.REVERSED: "Allowed by the grantor",
    ComplaintStatus.FORWARDED: "Sent to the appeal body",
    ComplaintStatus.UPHELD: "Decision upheld by the appeal body",
    ComplaintStatus.REVERSED_BY_APPEAL_BODY: "Allowed by the appeal body",
    ComplaintStatus.WITHDRAWN: "Withdrawn",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (ComplaintStatus.FILED, ComplaintStatus.REVERSED): "reverse",
    (ComplaintStatus.FILED, ComplaintStatus.FORWARDED): "forward",
    (ComplaintStatus.FILED, ComplaintStatus.WITHDRAWN): "withdraw",
    (ComplaintStatus.FORWARDED, ComplaintStatus.UPHELD): "uphold",
    (ComplaintStatus.FORWARDED, ComplaintStatus.REVERSED_BY_APPEAL_BODY): "reverse_on_appeal",
}

#: A complaint in one of these states is open: at most one open complaint per decision.
OPEN = frozenset({ComplaintStatus.FILED, ComplaintStatus.FORWARDED})


class TransitionNotAllowed(core_states.TransitionNotAllowed):
    noun = "A complaint"


def check_transition(current: str, target: str) -> str:
    """The move from ``current`` to ``target``, or TransitionNotAllowed."""
    return core_states.move_of(TRANSITIONS, current, target, TransitionNotAllowed)
