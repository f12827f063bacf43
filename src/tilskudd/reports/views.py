"""The report pages (issue #12, point 3): the grantee's duties and report form, and the caseworker's reading.

Thin views over :mod:`tilskudd.reports.services`. The grantee's pages are the organisation's members' (others,
and applications without a grant, get 404, as the grant page); the form is the call's report form for the duty's
kind, the accounts table the application's budget lines. A refused or invalid delivery shows the reasons and
delivers nothing. The caseworker's page answers 404 outside the person's grantors and 403 without a reading role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.applications.attachments import AttachmentRefused
from tilskudd.applications.views.common import application_for, status_name
from tilskudd.casework import scope
from tilskudd.casework.access import READING_ROLES, RoleMissing, staff_view
from tilskudd.core.formatting import read_nok
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.grants.awards import carried
from tilskudd.grants.models import Grant
from tilskudd.reports import repayment, review, services
from tilskudd.reports.goals import stated_goals
from tilskudd.reports.models import RepaymentClaim, Report, ReportAttachment, ReportDraft, ReportingDuty
from tilskudd.reports.services import Delivery, ReportInvalid
from tilskudd.reports.states import DUTY_STATUS_EN, DutyStatus, is_overdue
from tilskudd.rules.schema import FieldType

MAX_TEXT = 20_000


def duty_status(duty: ReportingDuty) -> tuple[str, str]:
    status = DutyStatus(duty.status)
    return status.label, DUTY_STATUS_EN[status]


def _grant_for(request, pk: int) -> Grant:
    application = application_for(request, pk)
    grant = (
        Grant.objects.select_related("application", "application__organisation").filter(application=application).first()
    )
    if grant is None:
        raise Http404("No grant for this application.")
    return grant


def _duty_for(request, pk: int, duty_id: int) -> ReportingDuty:
    """A duty of any of the application's grants: a multi-year grant has one grant a year, each with its duties."""
    application = application_for(request, pk)
    return get_object_or_404(
        ReportingDuty.objects.select_related("grant", "grant__application", "grant__application__organisation"),
        pk=duty_id,
        grant__application=application,
    )


def _header(application) -> dict[str, Any]:
    """What the application's header (``applications/_app_header.html``) shows."""
    return {"application": application, "call": application.call, "status_name": status_name(application.status)}


def _row(duty: ReportingDuty, today: dt.date) -> dict[str, Any]:
    return {"duty": duty, "status": duty_status(duty), "overdue": is_overdue(duty.status, duty.due, today)}


# --- the grantee's ------------------------------------------------------------------------------------


@login_required
def duties(request, pk: int):
    """The grant's reporting duties: what is owed, by when, and what is delivered."""
    grant = _grant_for(request, pk)
    today = timezone.localdate()
    # Every year's duties: a multi-year grant has one grant a year (the continuation's), each with its own.
    owed = ReportingDuty.objects.filter(grant__application=grant.application).order_by("due", "position", "pk")
    rows = [_row(duty, today) for duty in owed]
    return render(request, "reports/duties.html", {**_header(grant.application), "grant": grant, "rows": rows})


def _read(spec, raw: str, language: str) -> tuple[Any, str | None]:
    """A posted answer as its type's value, or the reason it cannot be read."""
    raw = (raw or "").strip()
    if not raw:
        return None, None
    if spec.type in (FieldType.TEXT, FieldType.TEXTAREA):
        if len(raw) > MAX_TEXT:
            return None, pick(
                language, f"Teksten kan være på høyst {MAX_TEXT} tegn.", f"At most {MAX_TEXT} characters."
            )
        return raw, None
    if spec.type in (FieldType.INTEGER, FieldType.MONEY):
        number = read_nok(raw)
        return (
            (number, None)
            if number is not None
            else (None, pick(language, "Skriv et helt tall.", "Write a whole number."))
        )
    if spec.type is FieldType.BOOLEAN:
        if raw not in ("yes", "no"):
            return None, pick(language, "Velg ja eller nei.", "Choose yes or no.")
        return raw == "yes", None
    if spec.type is FieldType.DATE:
        try:
            return dt.date.fromisoformat(raw), None
        except ValueError:
            return None, pick(language, "Skriv en dato (åååå-mm-dd).", "Write a date (yyyy-mm-dd).")
    return raw, None


def _amount(raw: str, language: str) -> tuple[int | None, str | None]:
    raw = (raw or "").strip()
    if not raw:
        return None, None
    number = read_nok(raw)
    if number is None:
        return None, pick(language, "Skriv beløpet i hele kroner.", "Write the amount in whole kroner.")
    return number, None


def _posted(request, duty: ReportingDuty, language: str) -> tuple[Delivery, dict[str, str], dict[str, str]]:
    """The delivery read from the form, what was typed (to show again) and what could not be read, by field."""
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    delivery = Delivery()
    for spec in services.form_fields(duty):
        raw = request.POST.get(f"answers.{spec.id}", "")
        typed[spec.id] = raw
        value, problem = _read(spec, raw, language)
        if problem:
            errors[spec.id] = problem
        elif value is not None:
            delivery.answers[spec.id] = value
    if duty.accounts:
        for line in services.budget_of(duty):
            key = f"actual_{line.index}"
            typed[key] = request.POST.get(key, "")
            number, problem = _amount(typed[key], language)
            if problem:
                errors[key] = problem
            elif number is not None:
                delivery.actual[line.index] = number
        for key in ("other_income", "own_contribution"):
            typed[key] = request.POST.get(key, "")
            number, problem = _amount(typed[key], language)
            if problem:
                errors[key] = problem
            else:
                setattr(delivery, key, number or 0)
    return delivery, typed, errors


def _page(request, duty: ReportingDuty, *, typed=None, errors=None, status=200):
    language = get_language()
    errors = errors or {}
    typed = typed or {}
    report = duty.reports.order_by("-version").first()
    draft = _newer_draft(duty, report)
    answers = draft.answers if draft else (report.answers if report else {})
    if draft and not typed:  # the amounts saved through the API stand in the accounts table
        saved = {f"actual_{index}": str(amount) for index, amount in draft.actual.items()}
        saved.update(other_income=str(draft.other_income), own_contribution=str(draft.own_contribution))
    else:  # both keys present: the template's «default:saved.other_income» fails on a missing key (a 500)
        saved = {"other_income": "", "own_contribution": ""}
    goals = stated_goals(duty)
    fields = []
    for spec in services.form_fields(duty):
        value = typed.get(spec.id, "")
        if not typed and spec.id in answers:
            stored = answers[spec.id]
            value = {True: "yes", False: "no"}.get(stored, stored) if isinstance(stored, bool) else stored
        fields.append(
            {
                "id": spec.id,
                "section": spec.section,
                "type": spec.type.value,
                "label": pick(language, spec.label.nb, spec.label.en or spec.label.nb),
                "help": pick(language, spec.help.nb, spec.help.en or spec.help.nb) if spec.help else "",
                "required": spec.required,
                "value": value,
                "choices": [(c.value, pick(language, c.label.nb, c.label.en or c.label.nb)) for c in spec.choices],
                "error": errors.get(spec.id, ""),
                "beside": [goal.as_dict(language) for goal in goals.get(spec.id, [])],
            }
        )
    form = duty.grant.application.call_version.parsed().reporting.form
    sections = []
    for section in form.sections_for(duty.kind) if form else []:
        shown = [f for f in fields if f["section"] == section.id]
        if shown:
            sections.append(
                {"title": pick(language, section.title.nb, section.title.en or section.title.nb), "fields": shown}
            )
    lines = [
        {
            "line": line,
            "key": f"actual_{line.index}",
            "value": typed.get(f"actual_{line.index}", saved.get(f"actual_{line.index}", "")),
            "error": errors.get(f"actual_{line.index}", ""),
        }
        for line in (services.budget_of(duty) if duty.accounts else [])
    ]
    deliver = services.can_deliver(request.user, duty)
    return render(
        request,
        "reports/duty.html",
        {
            **_header(duty.grant.application),
            "grant": duty.grant,
            "duty": duty,
            "status": duty_status(duty),
            "overdue": is_overdue(duty.status, duty.due, timezone.localdate()),
            "content": [pick(language, c["nb"], c.get("en") or c["nb"]) for c in duty.content],
            "approved_by": [pick(language, c["nb"], c.get("en") or c["nb"]) for c in duty.approved_by],
            "sections": sections,
            "lines": lines,
            "typed": typed,
            "errors": errors,
            "error_entries": [(key, message) for key, message in errors.items()],
            "attachments": list(duty.attachments.order_by("pk")),
            "attachment_kinds": _kinds(duty),
            "may_prepare": bool(services.can_prepare(request.user, duty)),
            "may_deliver": bool(deliver),
            "deliver_reason": deliver.reason(language),
            "report": report,
            "draft": draft,
            "saved": saved,
            # Last year's unused money carried into this year by consent (issue #12, point 6): part of the grant.
            "carried": carried.carried_into(duty.grant.application_id, duty.grant.year) if duty.accounts else 0,
        },
        status=status,
    )


def _newer_draft(duty: ReportingDuty, report: Report | None) -> ReportDraft | None:
    """The draft saved through the API, while it is newer than the report delivered (if any)."""
    draft = ReportDraft.objects.select_related("saved_by").filter(duty=duty).first()
    if draft is None or (report is not None and draft.saved_at <= report.submitted_at):
        return None
    return draft


def _kinds(duty: ReportingDuty) -> list[tuple[str, str]]:
    kinds = []
    if duty.auditor_required:
        kinds.append((ReportAttachment.Kind.AUDITOR_STATEMENT.value, ReportAttachment.Kind.AUDITOR_STATEMENT.label))
    if duty.approved_by:
        kinds.append((ReportAttachment.Kind.SIGNED_APPROVAL.value, ReportAttachment.Kind.SIGNED_APPROVAL.label))
    return kinds


@login_required
@require_http_methods(["GET", "POST"])
def duty_page(request, pk: int, duty_id: int):
    """The report form for one duty (GET), and its delivery by the signatory (POST)."""
    duty = _duty_for(request, pk, duty_id)
    if request.method == "GET":
        return _page(request, duty)
    language = get_language()
    delivery, typed, errors = _posted(request, duty, language)
    if errors:
        return _page(request, duty, typed=typed, errors=errors, status=400)
    try:
        report = services.deliver_report(request.user, duty.pk, delivery)
    except ReportInvalid as invalid:
        found = {key: pick(language, nb, en) for key, (nb, en) in invalid.errors.items()}
        return _page(request, duty, typed=typed, errors=found, status=400)
    except Refusal as refused:
        duty.refresh_from_db()
        return _page(request, duty, typed=typed, errors={"": refused.reason(language)}, status=refused.status)
    messages.success(
        request,
        pick(
            language,
            f"Rapporten er levert. Kvitteringen har kontrollsummen {report.content_hash[:12]}…",
            f"The report is delivered. The receipt has the checksum {report.content_hash[:12]}…",
        ),
    )
    return redirect("reports:duty", pk=pk, duty_id=duty.pk)


@login_required
@require_POST
def upload(request, pk: int, duty_id: int):
    """An auditor's statement or a signed approval for the duty."""
    duty = _duty_for(request, pk, duty_id)
    language = get_language()
    try:
        services.add_attachment(request.user, duty.pk, request.POST.get("kind", ""), request.FILES.get("file"))
    except AttachmentRefused as refused:
        return _page(request, duty, errors={"upload": refused.reason(language)}, status=400)
    except Refusal as refused:
        return _page(request, duty, errors={"": refused.reason(language)}, status=refused.status)
    messages.success(request, pick(language, "Vedlegget er lastet opp.", "The attachment is uploaded."))
    return redirect("reports:duty", pk=pk, duty_id=duty.pk)


@login_required
def receipt(request, pk: int, duty_id: int):
    """The receipt (PDF) of the latest delivered report."""
    duty = _duty_for(request, pk, duty_id)
    report = duty.reports.order_by("-version").first()
    if report is None or not report.receipt:
        raise Http404("No receipt.")
    name = (report.receipt.name or "kvittering.pdf").rsplit("/", 1)[-1]
    return FileResponse(report.receipt.open("rb"), filename=name, content_type="application/pdf")


# --- the caseworker's ----------------------------------------------------------------------------------


@staff_view
def staff_report(request, report_id: int):
    """A delivered report as the caseworker reads it: answers, accounts, attachments, who signed and its hash."""
    report = (
        Report.objects.select_related(
            "duty", "duty__grant", "duty__grant__application", "duty__grant__application__organisation", "submitted_by"
        )
        .filter(pk=report_id)
        .first()
    )
    case = getattr(report.duty.grant.application, "case", None) if report else None
    if report is None or case is None or not scope.can_see_case(request.user, case):
        raise Http404("no such report")
    if not scope.can_see_case(request.user, case, *READING_ROLES):
        raise RoleMissing(*READING_ROLES)
    language = get_language()
    duty = report.duty
    labels = {f.id: pick(language, f.label.nb, f.label.en or f.label.nb) for f in services.form_fields(duty)}
    goals = stated_goals(duty)
    answers = [
        (
            labels.get(key, key),
            {True: pick(language, "Ja", "Yes"), False: pick(language, "Nei", "No")}.get(value, value)
            if isinstance(value, bool)
            else value,
            key,
            [goal.as_dict(language) for goal in goals.get(key, [])],
        )
        for key, value in report.answers.items()
    ]
    return render(
        request,
        "reports/staff_report.html",
        {
            "casework_section": "calls",
            "report": report,
            "duty": duty,
            "grant": duty.grant,
            "application": duty.grant.application,
            "case": case,
            "status": duty_status(duty),
            "answers": answers,
            "accounts": report.accounts,
            "attachments": list(duty.attachments.order_by("pk")),
            "earlier": list(duty.reports.exclude(pk=report.pk).order_by("version")),
            "latest_pk": duty.reports.order_by("-version").values_list("pk", flat=True).first(),
        },
    )


# --- the caseworker's review and repayment claims (issue #12, point 5) -----------------------------------------


def _review_done(request, outcome, nb: str, en: str, *, report_id: int | None = None, grant_id: int | None = None):
    """Back to the report (or the grant) with the message; a refusal becomes its page (``staff_view``), 4xx."""
    language = get_language()
    outcome()
    messages.success(request, pick(language, nb, en))
    if report_id is not None:
        return redirect("reports:staff_report", report_id=report_id)
    return redirect("grants:staff_grant", grant_id)


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _latest_report_id(duty_id: int) -> int | None:
    report = Report.objects.filter(duty_id=duty_id).order_by("-version").first()
    return report.pk if report else None


@staff_view
@require_POST
def approve_report(request, duty_id: int):
    return _review_done(
        request,
        lambda: review.approve_report(request.user, duty_id),
        "Rapporten er godkjent.",
        "The report is approved.",
        report_id=_latest_report_id(duty_id),
    )


@staff_view
@require_POST
def request_changes(request, duty_id: int):
    return _review_done(
        request,
        lambda: review.request_changes(
            request.user, duty_id, request.POST.get("message", ""), _date(request.POST.get("due", ""))
        ),
        "Rapporten er sendt tilbake med meldingen.",
        "The report is sent back with the message.",
        report_id=_latest_report_id(duty_id),
    )


@staff_view
@require_POST
def hold_term(request, duty_id: int):
    duty = ReportingDuty.objects.filter(pk=duty_id).first()
    return _review_done(
        request,
        lambda: review.hold_next_term(request.user, duty_id),
        "Neste utbetaling holdes tilbake.",
        "The next payment is held.",
        grant_id=duty.grant_id if duty else 0,
    )


@staff_view
@require_POST
def prepare_claim(request, grant_id: int):
    raw = (request.POST.get("amount") or "").strip()
    amount = read_nok(raw) if raw else None
    if raw and amount is None:
        return HttpResponse(
            pick(get_language(), "Skriv beløpet i hele kroner.", "Write the amount in whole kroner."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return _review_done(
        request,
        lambda: repayment.prepare_claim(
            request.user,
            grant_id,
            reason=request.POST.get("reason", ""),
            due=_date(request.POST.get("due", "")),
            amount=amount,
            basis=request.POST.get("basis", ""),
        ),
        "Kravet om tilbakebetaling er forberedt og venter på godkjenning.",
        "The repayment claim is prepared and awaits approval.",
        grant_id=grant_id,
    )


def _claim_grant(claim_id: int) -> int:
    claim = RepaymentClaim.objects.filter(pk=claim_id).first()
    return claim.grant_id if claim else 0


@staff_view
@require_POST
def approve_claim(request, claim_id: int):
    return _review_done(
        request,
        lambda: repayment.approve_claim(request.user, claim_id),
        "Kravet er godkjent og sendt med brevet.",
        "The claim is approved and sent with its letter.",
        grant_id=_claim_grant(claim_id),
    )


@staff_view
@require_POST
def claim_paid(request, claim_id: int):
    amount = read_nok((request.POST.get("amount") or "").strip())
    return _review_done(
        request,
        lambda: repayment.mark_paid(request.user, claim_id, amount or 0, _date(request.POST.get("paid_on", ""))),
        "Betalingen er registrert.",
        "The payment is recorded.",
        grant_id=_claim_grant(claim_id),
    )


@staff_view
@require_POST
def cancel_claim(request, claim_id: int):
    return _review_done(
        request,
        lambda: repayment.cancel_claim(request.user, claim_id, request.POST.get("reason", "")),
        "Kravet er avbrutt.",
        "The claim is cancelled.",
        grant_id=_claim_grant(claim_id),
    )


@login_required
def claim_letter(request, pk: int, claim_id: int):
    """The repayment claim's letter (PDF), for the grantee's people and the grantor's staff who read the case (the
    caseworker's grant page links here); 404 for anyone else."""

    claim = (
        RepaymentClaim.objects.select_related("grant__application__case")
        .filter(pk=claim_id, grant__application_id=pk)
        .exclude(letter="")
        .first()
    )
    case = getattr(claim.grant.application, "case", None) if claim else None
    if case is None or not scope.can_see_case(request.user, case, *READING_ROLES):
        _grant_for(request, pk)  # the grantee's people only (404 otherwise); the claim is of this application
        if claim is None:
            raise Http404("No letter.")
    if claim is None:  # never: a case was found through the claim (said for mypy)
        raise Http404("No letter.")
    name = (claim.letter.name or "krav.pdf").rsplit("/", 1)[-1]
    return FileResponse(claim.letter.open("rb"), filename=name, content_type="application/pdf")
