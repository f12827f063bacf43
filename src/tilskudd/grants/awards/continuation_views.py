"""The pages of a multi-year grant's continuation (issue #12, point 7; services: ``grants.awards.continuation``).

The grantee's page (``/soknader/<pk>/tilskudd/videreforing/``) shows next year's commitment and, for the
signatory or a delegate, the form: each condition confirmed, the plan, the budget lines and their total. The
caseworker's page (``/saksbehandling/tilskudd/<id>/videreforing/``) shows what was filed beside next year's frame
and lets a caseworker propose the amount (the commitment as the default) or stop the grant, and an approver
approve or return the proposal. A refusal is shown on the page with its status (400/409), nothing changed.
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

from tilskudd.applications.views.common import told_status_name
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing, staff_view
from tilskudd.casework.models import Role
from tilskudd.core.formatting import read_nok
from tilskudd.core.refusals import Refusal, require
from tilskudd.core.text import pick
from tilskudd.grants.awards import applicant_views, carried, continuation, staff_views
from tilskudd.grants.awards.acceptance import can_answer
from tilskudd.grants.awards.continuation_states import CONTINUATION_STATUS_EN, ContinuationStatus
from tilskudd.grants.models import Continuation

LINE_ROWS = 6


def _status(item: Continuation | None) -> str:
    if item is None:
        return ""
    status = ContinuationStatus(item.status)
    return pick(get_language(), status.label, CONTINUATION_STATUS_EN[status])


# --- the grantee -------------------------------------------------------------------------------------


def _grantee_context(request, grant, **extra) -> dict[str, Any]:
    application = grant.application
    part = continuation.for_grantee(request.user, grant)
    part["carried"] = carried.carried_into(grant.application_id, part["year"]) if part["year"] else 0
    return {
        "application": application,
        "call": application.call,
        "status_name": told_status_name(application),
        "tab": "grant",
        "grant": grant,
        "c": part,
        "continuation_status": _status(part["continuation"]),
        "rows": range(LINE_ROWS),
        "values": {},
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def grantee(request, pk: int):
    grant = applicant_views._grant_for(request, pk)  # 404 outside the organisation
    if request.method == "GET":
        return render(request, "grants/awards/continuation.html", _grantee_context(request, grant))
    language = get_language()
    confirmed = [c for c in request.POST.getlist("confirmed") if isinstance(c, str)][:50]
    plan_text = (request.POST.get("plan") or "")[: continuation.MAX_TEXT + 1]
    texts = request.POST.getlist("line_text")[:LINE_ROWS]
    amounts = request.POST.getlist("line_amount")[:LINE_ROWS]
    total_text = (request.POST.get("budget_total") or "").strip()
    values = {
        "confirmed": confirmed,
        "plan": plan_text,
        "lines": list(zip(texts, amounts, strict=False)),
        "total": total_text,
    }
    try:
        require(can_answer(request.user, grant))  # who may, before what was typed
        rows = []
        for text, amount in zip(texts, amounts, strict=False):
            amount = (amount or "").strip()
            parsed = read_nok(amount) if amount else None
            if amount and parsed is None:
                raise continuation.BadFiling(
                    f"«{amount[:30]}» er ikke et beløp i hele kroner.",
                    f"«{amount[:30]}» is not an amount in whole kroner.",
                    "budget",
                )
            rows.append((text, parsed))
        lines = continuation.clean_lines(rows)
        total = read_nok(total_text) if total_text else None
        continuation.file_plan(request.user, grant.pk, confirmed, plan_text, lines, total)
    except Refusal as refused:
        anchor = f"continuation-{getattr(refused, 'field', '') or 'form'}"
        context = _grantee_context(request, grant, errors=[(anchor, refused.reason(language))], values=values)
        return render(request, "grants/awards/continuation.html", context, status=refused.status)
    messages.success(
        request,
        pick(
            language,
            "Bekreftelsen og planen for neste år er sendt til tilskuddsforvalteren.",
            "The confirmation and next year's plan are sent to the grantor.",
        ),
    )
    return redirect(reverse("grants:continuation", args=[pk]))


# --- the grantor ---------------------------------------------------------------------------------------


def _staff_render(request, grant, errors=None, status: int = 200, values=None):
    part = continuation.for_caseworker(request.user, grant)
    part["carried"] = carried.carried_into(grant.application_id, part["year"]) if part["year"] else 0
    context = {
        "grant": grant,
        "application": grant.application,
        "case": grant.application.case,
        "c": part,
        "continuation_status": _status(part["continuation"]),
        "errors": errors or [],
        "values": values or {},
    }
    return render(request, "grants/awards/continuation_staff.html", context, status=status)


@staff_view
def staff(request, grant_id: int):
    return _staff_render(request, staff_views._grant_or_404(request.user, grant_id))


def _approver_grant(request, grant_id: int):
    grant = staff_views._grant_or_404(request.user, grant_id)
    if not scope.can_see_case(request.user, grant.application.case, Role.APPROVER):
        raise RoleMissing(Role.APPROVER)  # before anything about the continuation: no hints to those who may not
    return grant


def _current(grant) -> Continuation:
    found = continuation.current(grant)
    if found is None:
        raise Http404("nothing filed")
    return found


def _done(request, grant, nb: str, en: str):
    messages.success(request, pick(get_language(), nb, en))
    return redirect(reverse("grants:continuation_staff", args=[grant.pk]))


@require_POST
@staff_view
def propose(request, grant_id: int):
    grant = staff_views._caseworker_grant(request, grant_id)
    item = _current(grant)
    text = (request.POST.get("amount") or "").strip()
    try:
        continuation.propose(request.user, item.pk, read_nok(text) if text else None)
    except Refusal as refused:
        errors = [("continuation-amount", refused.reason(get_language()))]
        return _staff_render(request, grant, errors, refused.status, {"amount": text[:30]})
    return _done(request, grant, "Beløpet er foreslått og venter på godkjenning.", "The amount awaits approval.")


@require_POST
@staff_view
def approve(request, grant_id: int):
    grant = _approver_grant(request, grant_id)
    item = _current(grant)
    try:
        continuation.approve(request.user, item.pk)
    except Refusal as refused:
        return _staff_render(request, grant, [("continuation-approve", refused.reason(get_language()))], refused.status)
    return _done(request, grant, "Tilskuddet er videreført; tilbudet for neste år er sendt.", "The grant is continued.")


@require_POST
@staff_view
def return_proposal(request, grant_id: int):
    grant = _approver_grant(request, grant_id)
    item = _current(grant)
    try:
        continuation.return_proposal(request.user, item.pk, request.POST.get("reason") or "")
    except Refusal as refused:
        return _staff_render(request, grant, [("continuation-return", refused.reason(get_language()))], refused.status)
    return _done(request, grant, "Forslaget er sendt tilbake.", "The proposal is returned.")


@require_POST
@staff_view
def stop(request, grant_id: int):
    grant = staff_views._caseworker_grant(request, grant_id)
    reason = (request.POST.get("reason") or "")[: continuation.MAX_TEXT + 1]
    try:
        continuation.stop(request.user, grant.pk, reason)
    except Refusal as refused:
        errors = [("continuation-stop", refused.reason(get_language()))]
        return _staff_render(request, grant, errors, refused.status, {"reason": reason})
    return _done(
        request, grant, "Tilskuddet er stanset, og brevet er sendt.", "The grant is stopped; the letter is sent."
    )


@login_required
def letter(request, pk: int, continuation_id: int):
    """The continuation's letter (the stop letter or next year's grant letter): the organisation's members only."""
    grant = applicant_views._grant_for(request, pk)  # 404 outside the organisation
    item = (
        Continuation.objects.filter(pk=continuation_id, grant__application=grant.application, letter__isnull=False)
        .select_related("letter")
        .first()
    )
    if item is None or item.letter is None or not item.letter.file:
        raise Http404("No such letter.")
    name = item.letter.file.name.rsplit("/", 1)[-1]
    return FileResponse(item.letter.file.open("rb"), as_attachment=False, filename=name, content_type="application/pdf")
