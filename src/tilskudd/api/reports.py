"""``/api/v1/applications/{id}/grant/reports``: a grant's reporting duties, the report form, drafts and delivery
(issue #12, point 2).

The same as the grantee's report pages, for the organisation's own systems: the duties the grant owes, each with
the call's report form (``reporting.form``, the fields of the duty's kind, each with the application's stated
goals where the call shows them beside it), the application's budget lines for the accounts, the draft saved so
far and the report delivered. ``PUT …/draft`` saves the draft as a whole, checked by the same service as the
portal's form (``reports.drafts`` over ``reports.services``): a field that does not hold is a 422 naming it, and
nothing is saved. ``POST …/submit`` delivers the saved draft as the token's person — only the organisation's
signatory or a delegate with delegated authority for the call (403 with the reason otherwise) — signed by the
SHA-256 of what is delivered, with the PDF receipt, exactly as on the page. The request carries the draft's
``content_hash`` as read (409 if the draft changed since). A retry returns the report already delivered (200,
``created`` false): delivery is idempotent by its content, so no Idempotency-Key is needed (as for the answer to
a grant). Another organisation's application, an application without a grant or a duty of another application is
404.

A multi-year grant continued into a new year is a new grant on the same application (the continuation's), each
year with its own duties: the duties are those of every grant of the application, each naming its grant and year,
so the first year's report is still read, saved and delivered here after the second year's grant is made (issue
#12; as the portal's report pages since 63ef2cb).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from tilskudd.api.applications import (
    AUTH_ERRORS,
    MAX_ID,
    MAX_REVISION,
    _not_found,
    _own,
    _token,
    _unstorable_response,
)
from tilskudd.api.auth import ApiTokenAuth
from tilskudd.api.calls import error
from tilskudd.api.schemas import BODY_ERRORS, ErrorOut, TextOut, ValidationErrorOut
from tilskudd.applications.models import Application
from tilskudd.core.refusals import Refusal
from tilskudd.grants.models import Grant
from tilskudd.reports import drafts, services
from tilskudd.reports.goals import stated_goals
from tilskudd.reports.models import ReportDraft, ReportingDuty
from tilskudd.reports.services import Delivery, ReportInvalid
from tilskudd.reports.states import DUTY_STATUS_EN, DutyStatus, is_overdue

router = Router(tags=["reports / rapporter"], auth=ApiTokenAuth())

#: As the portal's form: a text answer of at most 20 000 characters.
MAX_TEXT = 20_000
#: The largest amount in whole kroner a draft may carry (the database's integer).
MAX_NOK = 2**31 - 1
MAX_FIELDS = 200

FieldId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
LineIndex = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,4}$")]
Answer = Annotated[str, StringConstraints(max_length=MAX_TEXT)] | StrictBool | StrictInt | None
Amount = Annotated[int, Field(strict=True, ge=0, le=MAX_NOK)]


# --- shapes -------------------------------------------------------------------------------------------------


class ReportDraftIn(Schema):
    """The whole draft: what is not given is empty (an answer left out, a budget line not yet filled in)."""

    model_config = ConfigDict(extra="forbid")

    revision: StrictInt = Field(
        ge=0, le=MAX_REVISION, description="The draft's revision as read (0 when there is none yet)"
    )
    answers: dict[FieldId, Answer] = Field(
        default_factory=dict,
        max_length=MAX_FIELDS,
        description="Answers by the form's field id: text, whole number, true/false, a choice's value, "
        "a date as yyyy-mm-dd",
    )
    actual: dict[LineIndex, Amount] = Field(
        default_factory=dict,
        max_length=MAX_FIELDS,
        description="The actual cost of each budget line, by the line's index (budget_lines), whole kroner",
    )
    other_income: Amount = Field(default=0, description="Other income, whole kroner")
    own_contribution: Amount = Field(default=0, description="Own contribution (egenandel), whole kroner")


class ReportSubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    content_hash: str = Field(
        min_length=1, max_length=64, description="The draft's content_hash as read (GET …/reports/{duty_id})"
    )


class ReportChoiceOut(Schema):
    value: str
    label: TextOut


class ReportGoalOut(Schema):
    """An answer of the submitted application shown beside a report field (the goals it stated)."""

    field: str = Field(description="The application's field id")
    label: TextOut
    text: str


class ReportFieldOut(Schema):
    id: str
    section: str
    type: str = Field(description="text, textarea, integer, money, boolean, choice or date")
    label: TextOut
    help: TextOut | None
    required: bool
    rule: str | None
    min: int | None
    max: int | None
    choices: list[ReportChoiceOut]
    beside: list[ReportGoalOut] = Field(description="The application's stated goals, to answer against")


class ReportSectionOut(Schema):
    id: str
    title: TextOut


class ReportFormOut(Schema):
    sections: list[ReportSectionOut]
    fields: list[ReportFieldOut]


class ReportBudgetLineOut(Schema):
    index: int
    category: str
    description: str
    budget: int = Field(description="Whole kroner, as the application's budget")


class ReportProblemOut(Schema):
    field: str = Field(description="A field id, actual_<index>, other_income, own_contribution, auditor_statement …")
    message_nb: str
    message_en: str


class ReportDraftOut(Schema):
    revision: int
    answers: dict[str, Any]
    actual: dict[str, int]
    other_income: int
    own_contribution: int
    saved_by: str
    saved_at: dt.datetime
    content_hash: str | None = Field(
        description="SHA-256 of what delivering the draft would sign; null while something required is missing"
    )


class DeliveredReportOut(Schema):
    version: int
    content_hash: str = Field(description="SHA-256 of the canonical JSON of what was delivered")
    submitted_by: str
    submitted_at: dt.datetime
    capacity: str = Field(description="signatory, or delegate (with delegated authority, fullmakt)")
    answers: dict[str, Any]
    accounts: dict[str, Any] = Field(description="Budget against actual, other income, own contribution, unused")
    receipt_sha256: str


class ReportAttachmentOut(Schema):
    kind: str = Field(description="auditor_statement or signed_approval")
    filename: str
    sha256: str


class ReportingDutyOut(Schema):
    id: int
    grant_id: int = Field(
        description="The grant the duty is owed under: a multi-year grant has one grant a year (its continuations)"
    )
    year: int = Field(description="The grant's year, the year the duty reports on")
    rule: str
    kind: str = Field(description="status_report, annual_report, final_report, accounts …")
    title: TextOut
    due: dt.date | None = Field(description="The last day (Europe/Oslo); null where the grant letter gives it")
    status: str = Field(description="open, delivered, approved or changes_requested")
    status_text: TextOut
    overdue: bool
    accounts: bool = Field(description="The report includes the accounts")
    auditor_required: bool
    personal_data: bool


class ReportingDutyDetailOut(ReportingDutyOut):
    content: list[TextOut] = Field(description="What the report must say")
    approved_by: list[TextOut] = Field(description="Who approves the accounts (a signed approval is attached)")
    changes_message: str = Field(description="What the caseworker asked to change, when sent back")
    form: ReportFormOut = Field(description="The call's report form: the fields of this duty's kind")
    budget_lines: list[ReportBudgetLineOut] = Field(description="The application's budget lines for the grant's year")
    attachments: list[ReportAttachmentOut]
    draft: ReportDraftOut | None
    report: DeliveredReportOut | None = Field(description="The latest report delivered")
    can_submit: bool = Field(description="Whether the token's person may deliver the report now")
    why_not: TextOut | None = Field(description="Why not, when can_submit is false")


class ReportSubmitOut(ReportingDutyDetailOut):
    created: bool = Field(description="False when the same report had already been delivered (a retry)")


class ReportInvalidOut(Schema):
    """The draft or the report does not hold: the reason and every field that must be corrected."""

    detail: str
    detail_en: str
    problems: list[ReportProblemOut]


# --- helpers ------------------------------------------------------------------------------------------------


def _text(nb: str, en: str | None) -> dict[str, str]:
    return {"nb": nb, "en": en or ""}


def _owed(application: Application) -> QuerySet[ReportingDuty]:
    """The duties of every grant of the application (a continued grant has one grant a year, each with its own),
    by due day — a duty whose day the grant letter gives last — then by year and the call's order."""
    return (
        ReportingDuty.objects.select_related("grant")
        .filter(grant__application=application)
        .order_by(F("due").asc(nulls_last=True), "grant__year", "position", "pk")
    )


def _no_grant(application_id: int) -> Status:
    return error(
        404,
        f"Søknaden med id {application_id} har ikke fått noe tilskudd.",
        f"The application with the id {application_id} has no grant.",
    )


def _no_duty(duty_id: int) -> Status:
    return error(
        404,
        f"Tilskuddet har ingen rapporteringsplikt med id {duty_id}.",
        f"The grant has no reporting duty with the id {duty_id}.",
    )


def _find(request: HttpRequest, application_id: int, duty_id: int) -> ReportingDuty | Status:
    application = _own(request, application_id)
    if application is None:
        return _not_found(application_id)
    if not Grant.objects.filter(application=application).exists():
        return _no_grant(application_id)
    duty = (
        ReportingDuty.objects.select_related(
            "grant", "grant__application", "grant__application__organisation", "grant__application__call_version"
        )
        .filter(pk=duty_id, grant__application=application)  # any year's grant of this application
        .first()
    )
    return duty if duty is not None else _no_duty(duty_id)


def _duty(duty: ReportingDuty, today: dt.date) -> dict[str, Any]:
    status = DutyStatus(duty.status)
    return {
        "id": duty.pk,
        "grant_id": duty.grant_id,
        "year": duty.grant.year,
        "rule": duty.rule,
        "kind": duty.kind,
        "title": _text(duty.title_nb, duty.title_en),
        "due": duty.due,
        "status": duty.status,
        "status_text": _text(status.label, DUTY_STATUS_EN[status]),
        "overdue": is_overdue(duty.status, duty.due, today),
        "accounts": duty.accounts,
        "auditor_required": duty.auditor_required,
        "personal_data": duty.personal_data,
    }


def _form(duty: ReportingDuty) -> dict[str, Any]:
    form = duty.grant.application.call_version.parsed().reporting.form
    if form is None:
        return {"sections": [], "fields": []}
    goals = stated_goals(duty)
    return {
        "sections": [{"id": s.id, "title": _text(s.title.nb, s.title.en)} for s in form.sections_for(duty.kind)],
        "fields": [
            {
                "id": spec.id,
                "section": spec.section,
                "type": spec.type.value,
                "label": _text(spec.label.nb, spec.label.en),
                "help": _text(spec.help.nb, spec.help.en) if spec.help else None,
                "required": spec.required,
                "rule": spec.rule,
                "min": spec.min,
                "max": spec.max,
                "choices": [{"value": c.value, "label": _text(c.label.nb, c.label.en)} for c in spec.choices],
                "beside": [
                    {"field": goal.field_id, "label": _text(goal.label_nb, goal.label_en), "text": goal.text}
                    for goal in goals.get(spec.id, [])
                ],
            }
            for spec in form.fields_for(duty.kind)
        ],
    }


def _draft(duty: ReportingDuty) -> dict[str, Any] | None:
    draft = ReportDraft.objects.select_related("saved_by").filter(duty=duty).first()
    if draft is None:
        return None
    return {
        "revision": draft.revision,
        "answers": draft.answers,
        "actual": draft.actual,
        "other_income": draft.other_income,
        "own_contribution": draft.own_contribution,
        "saved_by": draft.saved_by.get_full_name() or draft.saved_by.email,
        "saved_at": draft.saved_at,
        "content_hash": drafts.draft_hash(duty, draft),
    }


def _detail(request: HttpRequest, duty: ReportingDuty, **extra: Any) -> dict[str, Any]:
    duty.refresh_from_db()
    report = duty.reports.select_related("submitted_by").order_by("-version").first()
    permission = services.can_deliver(_token(request).created_by, duty)
    return {
        **_duty(duty, _today()),
        "content": [_text(c["nb"], c.get("en")) for c in duty.content],
        "approved_by": [_text(c["nb"], c.get("en")) for c in duty.approved_by],
        "changes_message": duty.changes_message,
        "form": _form(duty),
        "budget_lines": [
            {"index": line.index, "category": line.category, "description": line.description, "budget": line.budget}
            for line in (services.budget_of(duty) if duty.accounts else [])
        ],
        "attachments": [
            {"kind": a.kind, "filename": a.original_name, "sha256": a.sha256} for a in duty.attachments.order_by("pk")
        ],
        "draft": _draft(duty),
        "report": None
        if report is None
        else {
            "version": report.version,
            "content_hash": report.content_hash,
            "submitted_by": report.submitted_by.get_full_name() or report.submitted_by.email,
            "submitted_at": report.submitted_at,
            "capacity": report.capacity,
            "answers": report.answers,
            "accounts": report.accounts,
            "receipt_sha256": report.receipt_sha256,
        },
        "can_submit": bool(permission),
        "why_not": None if permission else {"nb": permission.reason_nb, "en": permission.reason_en},
        **extra,
    }


def _today() -> dt.date:
    return timezone.localdate()


def _invalid(invalid: ReportInvalid) -> Status:
    return Status(
        422,
        {
            "detail": invalid.reason_nb,
            "detail_en": invalid.reason_en,
            "problems": [
                {"field": key, "message_nb": nb, "message_en": en} for key, (nb, en) in invalid.errors.items()
            ],
        },
    )


def _refused(refusal: Refusal) -> Status:
    return error(refusal.status, refusal.reason_nb, refusal.reason_en)


# --- endpoints ----------------------------------------------------------------------------------------------


@router.get(
    "/{application_id}/grant/reports",
    response={200: list[ReportingDutyOut], **AUTH_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Rapporteringspliktene / the reporting duties",
)
def list_duties(request: HttpRequest, application_id: int = Path(..., ge=1, le=MAX_ID)):
    """The reports and accounts the grant owes, every year's of a continued grant, by due day (a day the grant
    letter gives last): each with its grant and year, its status and whether it is overdue (judged by the day in
    Europe/Oslo). 404 when the application is not the organisation's or has no grant."""
    application = _own(request, application_id)
    if application is None:
        return _not_found(application_id)
    if not Grant.objects.filter(application=application).exists():
        return _no_grant(application_id)
    today = _today()
    return Status(200, [_duty(duty, today) for duty in _owed(application)])


@router.get(
    "/{application_id}/grant/reports/{duty_id}",
    response={200: ReportingDutyDetailOut, **AUTH_ERRORS, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Én rapporteringsplikt med skjemaet / one reporting duty with its form",
)
def duty_detail(
    request: HttpRequest,
    application_id: int = Path(..., ge=1, le=MAX_ID),
    duty_id: int = Path(..., ge=1, le=MAX_ID),
):
    """The duty, the call's report form for it (with the application's stated goals beside the fields the call
    names), the budget lines for the accounts, the draft saved so far with its content_hash, and the report
    delivered. 404 for another organisation's application or a duty of another grant."""
    found = _find(request, application_id, duty_id)
    if isinstance(found, Status):
        return found
    return Status(200, _detail(request, found))


@router.put(
    "/{application_id}/grant/reports/{duty_id}/draft",
    response={
        200: ReportingDutyDetailOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **BODY_ERRORS,
        422: ReportInvalidOut | ValidationErrorOut,
    },
    summary="Lagre utkastet til rapporten / save the report's draft",
)
def save_draft(
    request: HttpRequest,
    draft: ReportDraftIn,
    application_id: int = Path(..., ge=1, le=MAX_ID),
    duty_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Replace the draft as a whole (any member of the organisation, while the report can be delivered).

    Each answer and amount is checked as the portal's form checks it; a required answer may still be missing.
    422 with every field that does not hold (nothing is saved). 409 when ``revision`` is not the draft's (someone
    saved since: fetch it again). 403 with the reason when the report is delivered or the grant has ended."""
    found = _find(request, application_id, duty_id)
    if isinstance(found, Status):
        return found
    problem = _unstorable_response(draft.answers)
    if problem:
        return problem
    delivery = Delivery(
        answers=dict(draft.answers),
        actual={int(index): amount for index, amount in draft.actual.items()},
        other_income=draft.other_income,
        own_contribution=draft.own_contribution,
    )
    try:
        drafts.save_draft(_token(request).created_by, found.pk, delivery, draft.revision)
    except ReportInvalid as invalid:
        return _invalid(invalid)
    except drafts.DraftStale as stale:
        return _refused(stale)
    return Status(200, _detail(request, found))


@router.post(
    "/{application_id}/grant/reports/{duty_id}/submit",
    response={
        200: ReportSubmitOut,
        201: ReportSubmitOut,
        **AUTH_ERRORS,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **BODY_ERRORS,
        422: ReportInvalidOut | ValidationErrorOut,
    },
    summary="Lever rapporten / deliver the report",
)
def submit_report(
    request: HttpRequest,
    body: ReportSubmitIn,
    application_id: int = Path(..., ge=1, le=MAX_ID),
    duty_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Deliver the saved draft, signed by the SHA-256 of what is delivered, with the PDF receipt.

    Only the organisation's signatory, or a delegate with delegated authority for the call (403 with the reason
    otherwise). ``content_hash`` must be the draft's as read (409 if it changed since, or when no draft is
    saved). 422 with every field still to correct (a required answer, a budget line, the auditor's statement or
    the signed approval not uploaded). 201 the first time; 200 with ``created`` false when the same report was
    already delivered (a retry or a double click makes one report)."""
    found = _find(request, application_id, duty_id)
    if isinstance(found, Status):
        return found
    try:
        submitted = drafts.submit_draft(_token(request).created_by, found.pk, body.content_hash)
    except ReportInvalid as invalid:
        return _invalid(invalid)
    except (drafts.DraftStale, drafts.NothingToSubmit) as refused:
        return _refused(refused)
    return Status(201 if submitted.created else 200, _detail(request, found, created=submitted.created))
