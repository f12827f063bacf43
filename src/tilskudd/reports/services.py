"""Delivering a report (issue #12, point 2): attachments, the check of the answers and accounts, the signature.

:func:`deliver_report` is one transaction: it locks the duty, checks that the person may sign for the
organisation (``applications.permissions.signing_capacity``: the signatory or a delegate), checks the answers
against the call's report form and the accounts against the application's budget, requires the auditor's
statement (C2-R11) and the signed approval (``approved_by``) where the duty asks for them, writes the
:class:`Report` with the SHA-256 of what was delivered, moves the duty to DELIVERED, writes the audit event and
stores the PDF receipt. Delivering the same content again (a retry, a double click) returns the report already
made; anything else on a delivered duty is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tilskudd.applications import attachments as upload_checks
from tilskudd.applications.attachments import AttachmentRefused
from tilskudd.applications.permissions import can_view, signing_capacity
from tilskudd.applications.services.content import content_hash
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.files import deleted_on_failure
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import Refusal, require
from tilskudd.grants.awards import carried
from tilskudd.grants.models import Continuation
from tilskudd.grants.states import GrantStatus
from tilskudd.orgs.permissions import membership
from tilskudd.reports import accounts as accounts_math
from tilskudd.reports.models import Report, ReportAttachment, ReportingDuty
from tilskudd.reports.states import DELIVERABLE, DutyStatus, check_duty_transition
from tilskudd.rules.schema import FieldType, FormField

#: The grant's states in which reports are owed (accepted and after, not ended by a decline or cancellation).
REPORTING_GRANT_STATES = frozenset(
    {GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT, GrantStatus.PAID_OUT, GrantStatus.REPORTED}
)


#: Whether a duty with personal data has what it needs to be delivered; ``tilskudd.participants`` registers one
#: (the individual report has its participants). With none that says yes, it cannot be delivered here.
PERSONAL_DATA_READY: list[Callable[[ReportingDuty], bool]] = []


class ReportRefused(Refusal):
    """The report is not delivered; the reason says why. Nothing is changed."""


class ReportInvalid(ReportRefused):
    """Answers or amounts that do not hold; ``errors`` maps each field to its reason (nb, en)."""

    status = 400

    def __init__(self, errors: dict[str, tuple[str, str]]):
        self.errors = errors
        super().__init__(
            "Rapporten har feil som må rettes før den kan leveres. Ingenting er levert.",
            "The report has errors to correct before it can be delivered. Nothing was delivered.",
        )


# --- who may do what -------------------------------------------------------------------------------


def can_view_duty(user, duty: ReportingDuty) -> Permission:
    """Everyone in the grantee organisation sees its duties and reports."""
    return can_view(user, duty.grant.application)


def can_prepare(user, duty: ReportingDuty) -> Permission:
    """A member uploads attachments while the report can still be delivered."""
    seen = can_view_duty(user, duty)
    if not seen:
        return seen
    return _open(duty)


def _open(duty: ReportingDuty) -> Permission:
    if duty.grant.status not in REPORTING_GRANT_STATES:
        return denied(
            "Tilskuddet er ikke akseptert eller er avsluttet; det skal ikke leveres rapport.",
            "The grant is not accepted or has ended; no report is to be delivered.",
        )
    if duty.status not in DELIVERABLE:
        return denied("Rapporten er allerede levert.", "The report has already been delivered.")
    if duty.personal_data and not any(ready(duty) for ready in PERSONAL_DATA_READY):
        return denied(
            "Individrapporteringen leveres ikke i dette skjemaet ennå. Ta kontakt med saksbehandleren.",
            "The individual reporting cannot be delivered in this form yet. Contact the caseworker.",
        )
    return ALLOWED


def can_deliver(user, duty: ReportingDuty) -> Permission:
    """The organisation's confirmed signatory, or a delegate within a delegation covering the call."""
    application = duty.grant.application
    if membership(user, application.organisation) is None:
        return denied(
            "Du er ikke med i organisasjonen som har fått tilskuddet.",
            "You are not in the organisation that was granted the money.",
        )
    if signing_capacity(user, application) is None:
        return denied(
            "Bare den som har signaturrett i organisasjonen, eller fullmakt fra denne, kan levere rapporten. "
            "Du kan laste opp vedlegg; be den som har signaturrett om å levere.",
            "Only the organisation's signatory, or someone with their delegated authority, can deliver the "
            "report. You can upload attachments; ask the signatory to deliver it.",
        )
    return _open(duty)


# --- attachments -----------------------------------------------------------------------------------


def _lock(duty_id: int) -> ReportingDuty:
    return (
        ReportingDuty.objects.select_for_update(of=("self",))
        .select_related("grant", "grant__application", "grant__application__organisation", "grant__decision")
        .get(pk=duty_id)
    )


def add_attachment(user, duty_id: int, kind: str, uploaded_file) -> ReportAttachment:
    """Check ``uploaded_file`` as an application's attachment is checked (size, content type agreeing with the
    name, virus scan), PDF or image only, and store it for the duty. Raises ``NotAllowed`` or
    ``AttachmentRefused``; nothing is stored unless every check passes."""
    duty = ReportingDuty.objects.select_related("grant", "grant__application").get(pk=duty_id)
    require(can_prepare(user, duty))
    if kind not in ReportAttachment.Kind.values:
        raise AttachmentRefused("Rapporten ber ikke om denne typen vedlegg.", "The report asks for no such attachment.")
    if uploaded_file is None:
        raise AttachmentRefused("Velg en fil å laste opp.", "Choose a file to upload.")
    with upload_checks.checked_upload(uploaded_file, upload_checks.PDF_OR_IMAGE) as upload:
        attachment = ReportAttachment(
            duty=duty, kind=kind, uploaded_by=user, uploaded_at=timezone.now(), **upload.described()
        )
        upload.save_to(attachment.file)
        with deleted_on_failure(attachment.file), transaction.atomic():
            duty = _lock(duty_id)
            require(can_prepare(user, duty))
            attachment.duty = duty
            attachment.save()
            record(
                user,
                duty,
                AuditAction.REPORT_ATTACHMENT_ADDED,
                data={"attachment": attachment.pk, "kind": kind, "filename": upload.name, "sha256": upload.sha256},
                audience=Audience.APPLICANT,
            )
    return attachment


# --- the answers and the accounts --------------------------------------------------------------------


@dataclass
class Delivery:
    """What the grantee gives: the answers by field id (typed), and for a duty with accounts the actual cost of
    each budget line (by its index), the other income and the own contribution, in whole kroner."""

    answers: dict[str, Any] = field(default_factory=dict)
    actual: dict[int, int] = field(default_factory=dict)
    other_income: int = 0
    own_contribution: int = 0


def form_fields(duty: ReportingDuty) -> list[FormField]:
    """The call's report form fields for this duty's kind ([] where the call has no form)."""
    form = duty.grant.application.call_version.parsed().reporting.form
    return form.fields_for(duty.kind) if form else []


def budget_of(duty: ReportingDuty) -> list[accounts_math.BudgetLine]:
    """The budget the accounts are held against: for a year continued from a multi-year grant, the budget the
    grantee filed for that year with the continuation (carried-over money included); else the application's
    cost lines for the grant's year."""
    filed = Continuation.objects.filter(new_grant=duty.grant).values_list("budget_lines", flat=True).first()
    if filed:
        return [
            accounts_math.BudgetLine(index, str(line.get("text", "")), "", int(line.get("amount", 0)))
            for index, line in enumerate(filed)
        ]
    submitted = duty.grant.application.submitted()
    if submitted is None:
        return []
    return accounts_math.budget_lines(submitted.budget.lines, duty.grant.year)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value_error(spec: FormField, value: Any) -> tuple[str, str] | None:
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        return None if isinstance(value, str) else ("Skriv en tekst.", "Write a text.")
    if kind in (FieldType.INTEGER, FieldType.MONEY):
        if isinstance(value, bool) or not isinstance(value, int):
            return ("Skriv et helt tall.", "Write a whole number.")
        if spec.min is not None and value < spec.min:
            return (f"Tallet kan ikke være under {spec.min}.", f"The number cannot be below {spec.min}.")
        if spec.max is not None and value > spec.max:
            return (f"Tallet kan ikke være over {spec.max}.", f"The number cannot be above {spec.max}.")
        return None
    if kind is FieldType.BOOLEAN:
        return None if isinstance(value, bool) else ("Velg ja eller nei.", "Choose yes or no.")
    if kind is FieldType.CHOICE:
        return None if value in {c.value for c in spec.choices} else ("Velg et av svarene.", "Choose one answer.")
    if kind is FieldType.DATE:
        return None if isinstance(value, dt.date) else ("Skriv en dato.", "Write a date.")
    return ("Feltet kan ikke brukes i en rapport.", "The field cannot be used in a report.")


def check_answers(
    fields: list[FormField], answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """The answers kept (known fields, blanks left out) and the errors by field id."""
    errors: dict[str, tuple[str, str]] = {}
    kept: dict[str, Any] = {}
    for spec in fields:
        value = answers.get(spec.id)
        if _missing(value):
            if spec.required:
                errors[spec.id] = (
                    f"«{spec.label.nb}» må fylles ut.",
                    f"«{spec.label.en or spec.label.nb}» is required.",
                )
            continue
        problem = _value_error(spec, value)
        if problem:
            errors[spec.id] = problem
        else:
            kept[spec.id] = value.isoformat() if isinstance(value, dt.date) else value
    return kept, errors


def _accounts(duty: ReportingDuty, delivery: Delivery, errors: dict[str, tuple[str, str]]):
    budget = budget_of(duty)
    for line in budget:
        if line.index not in delivery.actual:
            errors[f"actual_{line.index}"] = ("Skriv det faktiske beløpet.", "Write the actual amount.")
    if errors:
        return None
    try:
        return accounts_math.compute(
            duty.grant.amount,
            budget,
            {line.index: delivery.actual[line.index] for line in budget},
            delivery.other_income,
            delivery.own_contribution,
            carried.carried_into(duty.grant.application_id, duty.grant.year),
        )
    except accounts_math.AccountsError:
        errors["accounts"] = (
            "Beløpene må være hele kroner, 0 eller mer.",
            "The amounts must be whole kroner, 0 or more.",
        )
        return None


def _required_attachments(duty: ReportingDuty, errors: dict[str, tuple[str, str]]) -> None:
    kinds = set(duty.attachments.values_list("kind", flat=True))
    if duty.auditor_required and ReportAttachment.Kind.AUDITOR_STATEMENT not in kinds:
        errors["auditor_statement"] = (
            "Last opp revisorberetningen: tilskudd på 100 000 kroner eller mer skal ha attestasjon fra revisor.",
            "Upload the auditor's statement: grants of NOK 100,000 or more need an auditor's attestation.",
        )
    if duty.approved_by and ReportAttachment.Kind.SIGNED_APPROVAL not in kinds:
        errors["signed_approval"] = (
            "Last opp den signerte godkjenningen av regnskapet.",
            "Upload the signed approval of the accounts.",
        )


def report_document(duty: ReportingDuty, answers: dict[str, Any], accounts: dict[str, Any]) -> dict[str, Any]:
    """Exactly what is delivered and signed: the duty, the answers, the accounts and the attachments' hashes."""
    grant = duty.grant
    return {
        "case_number": grant.application.case_number or "",
        "organisation": grant.application.organisation.org_number,
        "grant": {"year": grant.year, "amount": grant.amount},
        "duty": {
            "rule": duty.rule,
            "kind": duty.kind,
            "title": duty.title_nb,
            "due": duty.due.isoformat() if duty.due else None,
        },
        "answers": answers,
        "accounts": accounts,
        "attachments": [
            {"kind": a.kind, "filename": a.original_name, "sha256": a.sha256} for a in duty.attachments.order_by("pk")
        ],
    }


# --- delivering -------------------------------------------------------------------------------------


def deliver_report(user, duty_id: int, delivery: Delivery) -> Report:
    """Deliver the report for a duty, signed by its content hash; the same delivery again returns it."""
    from tilskudd.reports import receipts  # noqa: PLC0415 - WeasyPrint only when a receipt is made

    with transaction.atomic():
        duty = _lock(duty_id)
        latest = duty.reports.order_by("-version").first()
        answers, errors = check_answers(form_fields(duty), delivery.answers)
        computed = _accounts(duty, delivery, errors) if duty.accounts else None
        accounts = computed.as_dict() if computed else {}
        if duty.status == DutyStatus.DELIVERED and latest is not None and not errors:
            if latest.content_hash == content_hash(report_document(duty, answers, accounts)):
                require(can_view_duty(user, duty))
                return latest  # a retry or a double click: the report already delivered
        require(can_deliver(user, duty))
        _required_attachments(duty, errors)
        if errors:
            raise ReportInvalid(errors)
        capacity = signing_capacity(user, duty.grant.application)
        assert capacity is not None  # can_deliver allowed it
        kind, delegation = capacity
        member = membership(user, duty.grant.application.organisation)
        action = check_duty_transition(duty.status, DutyStatus.DELIVERED)
        report = Report.objects.create(
            duty=duty,
            version=(latest.version + 1) if latest else 1,
            answers=answers,
            accounts=accounts,
            content_hash=content_hash(report_document(duty, answers, accounts)),
            submitted_by=user,
            submitted_at=timezone.now(),
            capacity=kind,
            title=member.title if member else "",
            delegation=delegation,
        )
        before = duty.status
        duty.status = DutyStatus.DELIVERED
        duty.status_changed_at = report.submitted_at
        duty.save(update_fields=["status", "status_changed_at"])
        record(
            user,
            duty,
            AuditAction.REPORT_SUBMITTED,
            from_state=before,
            to_state=duty.status,
            data={
                "move": action,
                "report": report.pk,
                "version": report.version,
                "hash": report.content_hash,
                "capacity": kind,
                "delegation": delegation.pk if delegation else None,
                "unused": accounts.get("unused"),
            },
            audience=Audience.APPLICANT,
        )
        pdf = receipts.receipt_pdf(report)
        report.receipt.save(
            f"rapport-{duty.grant.application.case_number or duty.pk}-{report.version}.pdf",
            ContentFile(pdf),
            save=False,
        )
        report.receipt_sha256 = receipts.sha256(pdf)
        with deleted_on_failure(report.receipt):
            report.save(update_fields=["receipt", "receipt_sha256"])
    return report
