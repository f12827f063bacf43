"""The complaint deadline on Min side (issue #13, point 5): registered with ``applications.next_steps``.

Where the call allows a complaint against the decision (a refusal, a rejection, or a grant of less than was
applied for), «Klagefrist …» with the day from :func:`services.deadline_of` — the same day the decision box
and the letter state; a complaint under way is said instead. Nothing once the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from tilskudd.applications import next_steps
from tilskudd.applications.models import Application
from tilskudd.complaints import services
from tilskudd.grants.states import DecisionKind


@next_steps.register
def complaint_steps(application: Application, today: dt.date) -> Iterable[next_steps.NextStep]:
    decision = services.published_decision_of(application)
    if decision is None or (decision.kind == DecisionKind.GRANT and not decision.is_partial):
        return
    if services.under_way(decision) is not None:
        yield next_steps.NextStep(
            "Klagen deres er under behandling.",
            "Your complaint is being handled.",
            url=reverse("applications:review", args=[application.pk]) + "?vis=soknad#complaint-right",
            link_nb="Se klagen",
            link_en="See the complaint",
        )
        return
    right = services.complaint_right(decision)
    if not right.allowed or not right.deadline_weeks:
        return
    deadline = services.deadline_of(decision, right.deadline_weeks)
    if deadline < today:
        return
    yield next_steps.NextStep(
        "Klagefrist: dere kan klage på vedtaket.",
        "Deadline for a complaint: you may complain about the decision.",
        due=deadline,
        url=reverse("complaints:file", args=[application.pk]),
        link_nb="Klag på vedtaket",
        link_en="Complain about the decision",
    )
