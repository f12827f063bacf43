"""Casework seen by the applicant: a request to complete the application, and the published decision
with its letter. Nothing unpublished shows.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import get_language

from tilskudd.applications import outcomes
from tilskudd.applications.models import Application, PublishedDecision
from tilskudd.applications.states import Status
from tilskudd.applications.views.common import application_for, deadline_text
from tilskudd.core.formatting import format_nok
from tilskudd.core.phrases import datetime_moment
from tilskudd.core.text import pick


def completion_notice(application: Application) -> str:
    """«<grantor> ber dere komplettere søknaden innen <dato kl.>: <melding>» while reopened for completion."""
    if application.status != Status.REOPENED or not application.reopened_until:
        return ""
    case = getattr(application, "case", None)
    grantor = (
        case.grantor_name
        if case is not None and case.grantor_name
        else application.call_version.parsed().grantor.name.nb
    )
    until_nb = datetime_moment(application.reopened_until, "nb").text
    until_en = datetime_moment(application.reopened_until, "en").text
    message = application.reopened_message.strip()
    return pick(
        get_language(),
        f"{grantor} ber dere komplettere søknaden innen {until_nb}" + (f": {message}" if message else "."),
        f"{grantor} asks you to complete the application by {until_en}" + (f": {message}" if message else "."),
    )


def published_decision(application: Application) -> dict[str, Any] | None:
    """The published decision (kind, amount, letter link); None before publication: nothing unpublished shows."""
    decision = outcomes.published_decision(application)
    if decision is None:
        return None
    grant = decision.kind == PublishedDecision.Kind.GRANT
    submitted = application.submitted()
    applied = submitted.budget.amount_applied if submitted is not None else 0
    return {
        "decision": decision,
        "kind": decision.kind,
        "kind_name": decision.kind_name(get_language()),
        "amount": format_nok(decision.amount) if grant else "",
        "partial": grant and applied and decision.amount < applied,
        "applied": format_nok(applied),
        "published_at": deadline_text(decision.published_at) if decision.published_at else "",
        "letter_url": reverse("applications:letter", args=[application.pk, decision.letter_id])
        if decision.letter_id
        else "",
    }


def casework_context(application: Application) -> dict[str, Any]:
    return {"completion_notice": completion_notice(application), "decision_info": published_decision(application)}


@login_required
def letter_pdf(request, pk: int, document_id: int):
    """A decision letter: only the organisation's members, and only once the decision is published."""
    application = application_for(request, pk)
    decision = (
        PublishedDecision.objects.filter(application=application, letter_id=document_id)
        .select_related("letter")
        .first()
    )
    if decision is None or not decision.letter.file:
        raise Http404("No such letter.")
    name = decision.letter.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        decision.letter.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
    )
