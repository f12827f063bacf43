"""Who changed what and when: the application's audit events the applicant may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language

from tilskudd.applications.views.common import application_for, told_status_name
from tilskudd.audit.labels import action_label
from tilskudd.audit.services import Audience, AuditAction
from tilskudd.audit.services import history as audit_history
from tilskudd.core.formatting import format_nok
from tilskudd.core.phrases import datetime_moment
from tilskudd.core.text import is_english, pick

# --- history -----------------------------------------------------------------------------------

PART_NAMES = {
    "grantor": ("tilskuddsforvalter", "grantor"),
    "areas": ("prioritert område", "priority area"),
    "joint": ("felles søknad", "joint application"),
    "contacts": ("kontaktpersoner", "contact persons"),
    "answers": ("svar", "answers"),
    "partners": ("samarbeidspartnere", "partners"),
    "budget": ("budsjett og finansiering", "budget and financing"),
}


def _event_details(event) -> list[str]:
    data = event.data or {}
    english = is_english(get_language())
    details = []
    if data.get("changed"):
        names = [PART_NAMES.get(key, (key, key))[1 if english else 0] for key in data["changed"]]
        details.append(pick(get_language(), "Endret: ", "Changed: ") + ", ".join(names))
    if data.get("revision"):
        details.append(pick(get_language(), f"Versjon {data['revision']}", f"Revision {data['revision']}"))
    if data.get("capacity"):
        capacity = {
            "signatory": pick(get_language(), "med signaturrett", "as signatory"),
            "delegate": pick(get_language(), "med fullmakt", "by delegation"),
        }
        details.append(capacity.get(data["capacity"], data["capacity"]))
    if data.get("case_number"):
        details.append(pick(get_language(), f"Saksnummer {data['case_number']}", f"Case number {data['case_number']}"))
    if data.get("filename"):
        details.append(str(data["filename"]))
    if event.action == AuditAction.APPLICATION_GRANTED and data.get("amount") is not None:
        details.append(pick(get_language(), "Beløp: ", "Amount: ") + format_nok(data["amount"]))
    if event.reason:
        details.append(pick(get_language(), "Begrunnelse: ", "Reason: ") + event.reason)
    return details


@login_required
def history(request, pk: int):
    """Who changed what and when: the application's audit events the applicant may see (not the grantor's casework)."""
    application = application_for(request, pk)
    events = []
    for event in audit_history(application, audience=Audience.APPLICANT).order_by("-at", "-id"):
        events.append(
            {
                "at": datetime_moment(event.at, get_language()),
                "who": event.actor.get_full_name() if event.actor else pick(get_language(), "Systemet", "The system"),
                "what": action_label(event.action, get_language()),
                "details": _event_details(event),
                # The checksum goes under «Tekniske detaljer», not among the details people read (issue #13, point 5).
                "hash": str((event.data or {}).get("hash") or ""),
            }
        )
    context = {
        "application": application,
        "call": application.call,
        "events": events,
        "status_name": told_status_name(application),
    }
    return render(request, "applications/history.html", context)
