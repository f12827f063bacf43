"""The change request pages (issue #12, point 6): thin views over :mod:`tilskudd.amendments.services`.

The grantee's page (members of the organisation; others 404) shows the call's rule on carry-over in its own
words, the requests and their answers, and — for the signatory or a delegate — the two forms. The caseworker's
page (the grantor's reading roles; 404 outside it, 403 for an assessor) shows what was asked, who signed, and
for a caseworker the answer form. A refused request or answer re-renders the page with the reason (4xx) and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.amendments import services
from tilskudd.amendments.models import AmendmentRequest
from tilskudd.amendments.states import AMENDMENT_KIND_EN, AMENDMENT_STATUS_EN, AmendmentKind, AmendmentStatus
from tilskudd.casework import scope
from tilskudd.casework.access import READING_ROLES, staff_view
from tilskudd.casework.models import Role
from tilskudd.core.formatting import read_nok
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.grants.awards.applicant_views import _grant_for
from tilskudd.grants.models import Grant


def _rows(grant: Grant, language: str) -> list[dict[str, Any]]:
    rows = []
    for amendment in AmendmentRequest.objects.filter(grant=grant).select_related("requested_by", "decided_by"):
        kind, status = AmendmentKind(amendment.kind), AmendmentStatus(amendment.status)
        rows.append(
            {
                "a": amendment,
                "kind": pick(language, kind.label, AMENDMENT_KIND_EN[kind]),
                "status": pick(language, status.label, AMENDMENT_STATUS_EN[status]),
            }
        )
    return rows


def _grantee_context(request, grant: Grant, **extra) -> dict[str, Any]:
    language = get_language()
    rule = services.carry_over_rule(grant)
    may_ask = services.may_ask(request.user, grant)
    may_carry = services.may_carry_over(grant)
    return {
        "application": grant.application,
        "grant": grant,
        "rule": rule,
        "rule_words": [pick(language, nb, en) for nb, en in rule["words"]],
        "may_ask": bool(may_ask),
        "why_not": may_ask.reason(language) if not may_ask else "",
        "may_carry": bool(may_carry),
        "why_not_carry": may_carry.reason(language) if not may_carry else "",
        "next_year": grant.year + 1,
        "rows": _rows(grant, language),
        "errors": [],
        "field_errors": {},
        "values": {},
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def grantee_page(request, pk: int):
    """The grantee's requests; POST ``kind`` carry_over (amount, reason) or change_of_use (change, reason)."""
    grant = _grant_for(request, pk)
    if request.method == "GET":
        return render(request, "amendments/grantee.html", _grantee_context(request, grant))
    language = get_language()
    kind = request.POST.get("kind", "")
    values = {name: (request.POST.get(name) or "")[: services.MAX_TEXT + 1] for name in ("amount", "change", "reason")}
    try:
        if kind == AmendmentKind.CARRY_OVER:
            amount = read_nok(values["amount"]) if values["amount"].strip() else None
            if values["amount"].strip() and amount is None:
                raise services.AmendmentInvalid(
                    "amount",
                    "Skriv beløpet i hele kroner, for eksempel 25 000.",
                    "Write the amount in whole kroner, for example 25 000.",
                )
            services.request_carry_over(request.user, grant.pk, amount, values["reason"])
        elif kind == AmendmentKind.CHANGE_OF_USE:
            services.request_change_of_use(request.user, grant.pk, values["change"], values["reason"])
        else:
            raise services.AmendmentInvalid("", "Velg hva dere ber om.", "Choose what you are asking for.")
    except Refusal as refused:
        field = getattr(refused, "field", "") or ""
        anchor = f"{kind}-{field}" if field and kind in AmendmentKind.values else ""
        message = refused.reason(language)
        context = _grantee_context(
            request,
            grant,
            errors=[(anchor, message)],
            field_errors={anchor.replace("-", "_"): message},
            values=values,
            open_kind=kind,
        )
        return render(request, "amendments/grantee.html", context, status=refused.status)
    messages.success(
        request,
        pick(
            language,
            "Endringen er sendt til tilskuddsforvalteren. Til dere har fått svar, gjelder tilskuddsbrevet som før.",
            "The change request is sent to the grantor. Until you have the answer, the grant letter applies as before.",
        ),
    )
    return redirect(reverse("amendments:grantee", args=[pk]))


@login_required
@require_POST
def withdraw(request, pk: int, amendment_id: int):
    grant = _grant_for(request, pk)
    if not AmendmentRequest.objects.filter(pk=amendment_id, grant=grant).exists():
        raise Http404("no such change request")
    try:
        services.withdraw(request.user, grant.pk, amendment_id)
    except Refusal as refused:
        message = refused.reason(get_language())
        context = _grantee_context(request, grant, errors=[("", message)])
        return render(request, "amendments/grantee.html", context, status=refused.status)
    messages.success(request, pick(get_language(), "Endringen er trukket.", "The change request is withdrawn."))
    return redirect(reverse("amendments:grantee", args=[pk]))


@login_required
def letter(request, pk: int, amendment_id: int):
    """The answer's letter (PDF), for the grantee's people (404 for anyone else)."""
    grant = _grant_for(request, pk)
    amendment = AmendmentRequest.objects.filter(pk=amendment_id, grant=grant).exclude(letter="").first()
    if amendment is None:
        raise Http404("No letter.")
    name = (amendment.letter.name or "endring.pdf").rsplit("/", 1)[-1]
    return FileResponse(amendment.letter.open("rb"), filename=name, content_type="application/pdf")


# --- the caseworker's ------------------------------------------------------------------------


def _staff_render(request, amendment: AmendmentRequest, *, errors=(), status: int = 200, value: str = ""):
    language = get_language()
    grant = amendment.grant
    kind, state = AmendmentKind(amendment.kind), AmendmentStatus(amendment.status)
    case = grant.application.case
    context = {
        "a": amendment,
        "grant": grant,
        "application": grant.application,
        "case": case,
        "kind": pick(language, kind.label, AMENDMENT_KIND_EN[kind]),
        "status": pick(language, state.label, AMENDMENT_STATUS_EN[state]),
        "rule": services.carry_over_rule(grant),
        "may_answer": amendment.status == AmendmentStatus.REQUESTED
        and scope.can_see_case(request.user, case, Role.CASEWORKER),
        "errors": list(errors),
        "value": value,
    }
    return render(request, "amendments/staff.html", context, status=status)


def _visible(request, amendment_id: int, *roles: str) -> AmendmentRequest:
    try:
        return services.visible_amendment(request.user, amendment_id, *roles)
    except services.NoSuchAmendment:
        raise Http404("no such change request") from None


@staff_view
def staff_page(request, amendment_id: int):
    return _staff_render(request, _visible(request, amendment_id, *READING_ROLES))


@require_POST
@staff_view
def answer(request, amendment_id: int):
    """Consent or refuse (``answer``), with the reason the letter states."""
    amendment = _visible(request, amendment_id, Role.CASEWORKER)
    language = get_language()
    choice = request.POST.get("answer", "")
    reason = (request.POST.get("answer_reason") or "")[: services.MAX_TEXT + 1]
    try:
        if choice == "consent":
            services.consent(request.user, amendment.pk, reason)
        elif choice == "refuse":
            services.refuse(request.user, amendment.pk, reason)
        else:
            raise services.AmendmentInvalid("answer", "Velg samtykke eller avslag.", "Choose consent or refusal.")
    except Refusal as refused:
        field = getattr(refused, "field", "") or "answer_reason"
        return _staff_render(
            request,
            amendment,
            errors=[(f"answer-{field}", refused.reason(language))],
            status=refused.status,
            value=reason,
        )
    messages.success(
        request, pick(language, "Svaret er lagret, og brevet er sendt.", "The answer is saved and the letter sent.")
    )
    return redirect(reverse("amendments:staff", args=[amendment.pk]))
