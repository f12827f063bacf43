"""The participant pages (C0-R12): the grantee's form under the report, the caseworker's reading page.

Thin views over :mod:`tilskudd.participants.services`. The grantee's page is for the organisation's signatory
and delegates (other members 403, everyone else 404 as the report pages); it adds participants and, with a
reason, shows them. The caseworker's page is for the case's caseworker (404 outside the grantor, 403 for its
other staff); the data are shown only after a reason is given, and every showing is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from tilskudd.applications.views.common import application_for, status_name
from tilskudd.casework import scope
from tilskudd.casework.access import staff_view
from tilskudd.core.formatting import read_nok
from tilskudd.core.refusals import NotAllowed, require
from tilskudd.core.text import pick
from tilskudd.core.views import refusals_as_pages
from tilskudd.participants import services
from tilskudd.participants.services import Participant, ParticipantInvalid
from tilskudd.reports.models import ReportingDuty

FIELDS = ("name", "birth_year", "activity", "outcome", "informed_at")


def _grantee_duty(request, pk: int, duty_id: int) -> ReportingDuty:
    application = application_for(request, pk)
    duty = get_object_or_404(
        ReportingDuty.objects.select_related("grant", "grant__application", "grant__application__organisation"),
        pk=duty_id,
        grant__application=application,
        personal_data=True,
    )
    if not services.is_named_grantee(request.user, duty):
        require(services.can_read(request.user, duty))
    return duty


def _typed(request) -> tuple[Participant, dict[str, str]]:
    raw = {key: (request.POST.get(key) or "").strip() for key in FIELDS}
    try:
        informed = dt.date.fromisoformat(raw["informed_at"]) if raw["informed_at"] else None
    except ValueError:
        informed = None
    year = read_nok(raw["birth_year"]) if raw["birth_year"] else None
    return Participant(raw["name"], year, raw["activity"], raw["outcome"], informed), raw


def _errors(language: str, errors: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {key: pick(language, nb, en) for key, (nb, en) in errors.items()}


def _grantee_page(request, duty, *, typed=None, errors=None, shown=None, status=200):
    errors = errors or {}
    return render(
        request,
        "participants/grantee.html",
        {
            "application": duty.grant.application,
            "call": duty.grant.application.call,
            "status_name": status_name(duty.grant.application.status),
            "duty": duty,
            "count": duty.participants.count(),
            "may_add": bool(services.can_add(request.user, duty)),
            "typed": typed or {},
            "errors": errors,
            "error_entries": list(errors.items()),
            "shown": shown,
        },
        status=status,
    )


@login_required
@refusals_as_pages
@require_http_methods(["GET", "POST"])
def grantee(request, pk: int, duty_id: int):
    """Add a participant (POST with the fields), or read them with a reason (POST with ``reason``)."""
    duty = _grantee_duty(request, pk, duty_id)
    if request.method == "GET":
        return _grantee_page(request, duty)
    language = get_language()
    if "reason" in request.POST:
        try:
            shown = services.read_participants(request.user, duty.pk, request.POST.get("reason", ""))
        except ParticipantInvalid as invalid:
            return _grantee_page(request, duty, errors=_errors(language, invalid.errors), status=400)
        return _grantee_page(request, duty, shown=shown)
    participant, typed = _typed(request)
    try:
        services.add_participant(request.user, duty.pk, participant)
    except ParticipantInvalid as invalid:
        found = _errors(language, invalid.errors)
        if typed["informed_at"] and participant.informed_at is None:
            found["informed_at"] = pick(language, "Skriv en dato (åååå-mm-dd).", "Write a date (yyyy-mm-dd).")
        return _grantee_page(request, duty, typed=typed, errors=found, status=400)
    messages.success(request, pick(language, "Deltakeren er registrert.", "The participant is added."))
    return redirect("participants:grantee", pk=pk, duty_id=duty.pk)


@staff_view
@require_http_methods(["GET", "POST"])
def staff(request, duty_id: int):
    """The caseworker's reading page: the reason first, then the participants (audited)."""
    duty = (
        ReportingDuty.objects.select_related(
            "grant", "grant__application", "grant__application__organisation", "grant__application__case"
        )
        .filter(pk=duty_id, personal_data=True)
        .first()
    )
    case = getattr(duty.grant.application, "case", None) if duty else None
    if duty is None or case is None or not scope.can_see_case(request.user, case):
        raise Http404("no such report")
    if not services.is_case_caseworker(request.user, duty):
        raise NotAllowed(services.can_read(request.user, duty))
    context: dict[str, Any] = {
        "casework_section": "calls",
        "duty": duty,
        "grant": duty.grant,
        "application": duty.grant.application,
        "case": case,
        "count": duty.participants.count(),
        "errors": {},
        "shown": None,
    }
    status = 200
    if request.method == "POST":
        try:
            context["shown"] = services.read_participants(request.user, duty.pk, request.POST.get("reason", ""))
        except ParticipantInvalid as invalid:
            context["errors"] = _errors(get_language(), invalid.errors)
            status = 400
    context["error_entries"] = list(context["errors"].items())
    return render(request, "participants/staff.html", context, status=status)
