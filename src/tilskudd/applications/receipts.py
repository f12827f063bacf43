"""The receipt (*kvittering*) for a submission: a PDF with the full content, stored and e-mailed.

``services.submit`` queues the receipt inside the submission's transaction
(``tasks.queue_receipt_with_submission``; with the database backend the task row
commits with the submission), and again when a client retries an application
already submitted (``tasks.ensure_receipt``). The background task
(``tasks.make_receipt``) then

1. renders the PDF (:func:`receipt_pdf`, WeasyPrint, from
   ``applications/receipt.html``): the call, case number, organisation, the
   time of submission in Oslo time, who signed (name, title, capacity,
   delegation), the signature time and the SHA-256 hash of the signed content,
   every answer under its label from the call, the budget with totals,
   partners, contacts, attachments with their hashes, and the warnings the rule
   engine found at submission;
2. stores it once as ``Document(kind=receipt)`` through Django's storage API,
   with its own SHA-256;
3. e-mails it to the person who submitted and to the organisation's address.

Each step is idempotent: running the task again for the same application
makes no second document and sends no second e-mail, so a failed task is
simply run again — also by the reaper (tilskudd.background) when a worker
died in the middle of it. The submission itself is committed before any of
this starts and never depends on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from tilskudd.applications.models import Application, Document, Signature
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.files import deleted_on_failure
from tilskudd.core.formatting import format_date, format_datetime, format_number
from tilskudd.core.formatting import format_nok as nok
from tilskudd.core.pdf import render_pdf
from tilskudd.rules import Application as ExchangeApplication
from tilskudd.rules.application import FundingSource
from tilskudd.rules.engine import is_empty, resolve
from tilskudd.rules.messages import APPLICANT_TYPE_NAMES
from tilskudd.rules.reference import county_name
from tilskudd.rules.schema import AttachmentCheck, CallDefinition, FieldType, FormField, PartnerCheck

logger = logging.getLogger(__name__)

SENT_ACTION = AuditAction.RECEIPT_SENT
CREATED_ACTION = AuditAction.RECEIPT_CREATED
REQUEUED_ACTION = AuditAction.RECEIPT_REQUEUED  # a retried submission found its receipt missing and queued it again

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "inter"

#: Field types shown in their own part of the receipt rather than as one answer.
_STRUCTURED = {
    FieldType.CONTACTS,
    FieldType.PARTNERS,
    FieldType.BUDGET,
    FieldType.FUNDING_SOURCES,
    FieldType.OWN_CONTRIBUTION,
    FieldType.ATTACHMENT,
}

CAPACITY_NB = {"signatory": "Signaturberettiget", "delegate": "Etter fullmakt"}


# --- what is missing -------------------------------------------------------------------


def missing_receipts():
    """Submitted applications that have no receipt document yet (e.g. after a failed task)."""
    receipt = Document.objects.filter(
        application=OuterRef("pk"), kind=Document.Kind.RECEIPT, submission_hash=OuterRef("submitted_hash")
    )
    return Application.objects.filter(submitted_at__isnull=False).exclude(Exists(receipt))


# --- the task's work ---------------------------------------------------------------


def issue_receipt(application_id: int) -> Document | None:
    """Make, store and send the receipt for a submitted application; safe to run again."""
    document = store_receipt(application_id)
    if document is not None:
        send_receipt(document)
    return document


def store_receipt(application_id: int) -> Document | None:
    """The receipt Document, made and stored the first time; None when the application is not submitted."""
    application = _load(application_id)
    if application.submitted_at is None:
        logger.warning("Application %s is not submitted; no receipt", application_id)
        return None
    existing = receipt_for_submission(application)
    if existing is not None:
        return existing
    pdf = receipt_pdf(application)  # rendered outside the lock: it takes a moment
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        existing = receipt_for_submission(application)
        if existing is not None:
            return existing
        document = Document(
            application=application,
            kind=Document.Kind.RECEIPT,
            sha256=digest,
            submission_hash=application.submitted_hash,
        )
        document.file.save(receipt_filename(application), ContentFile(pdf), save=False)
        with deleted_on_failure(document.file):
            document.save()
            record(
                None,
                application,
                CREATED_ACTION,
                data={"document": document.pk, "sha256": digest, "case_number": application.case_number},
                audience=Audience.APPLICANT,
            )
    return document


def receipt_for_submission(application: Application) -> Document | None:
    """The receipt of the application's latest submission (a resubmission after completion gets its own)."""
    return application.documents.filter(kind=Document.Kind.RECEIPT, submission_hash=application.submitted_hash).first()


def latest_receipt(application: Application) -> Document | None:
    return application.documents.filter(kind=Document.Kind.RECEIPT).order_by("-created_at", "-pk").first()


def receipt_filename(application: Application) -> str:
    case = (application.case_number or str(application.pk)).replace("/", "-")
    return f"kvittering-{case}.pdf"


def send_receipt(document: Document) -> bool:
    """E-mail the receipt once (recorded as an audit event); False when it was sent before."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation", "submitted_by", "call")
            .get(pk=document.application_id)
        )
        if _already_sent(application):
            return False
        recipients = receipt_recipients(application)
        if not recipients:
            logger.warning("No e-mail address for the receipt of application %s", application.pk)
            return False
        context = {"application": application, "case_number": application.case_number, **_times(application)}
        subject = " ".join(render_to_string("applications/emails/receipt_subject.txt", context).split())
        body = render_to_string("applications/emails/receipt_body.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        with document.file.open("rb") as stored:
            message.attach(receipt_filename(application), stored.read(), "application/pdf")
        message.send(fail_silently=False)
        record(
            None,
            application,
            SENT_ACTION,
            data={"document": document.pk, "to": recipients},
            audience=Audience.APPLICANT,
        )
    return True


def _already_sent(application: Application) -> bool:
    return AuditEvent.objects.filter(
        subject_type=application._meta.model_name, subject_id=str(application.pk), action=SENT_ACTION
    ).exists()


def receipt_recipients(application: Application) -> list[str]:
    addresses = []
    if application.submitted_by and application.submitted_by.email:
        addresses.append(application.submitted_by.email)
    if application.organisation.email:
        addresses.append(application.organisation.email)
    unique: list[str] = []
    for address in addresses:
        if address.lower() not in {a.lower() for a in unique}:
            unique.append(address)
    return unique


def _load(application_id: int) -> Application:
    return Application.objects.select_related("organisation", "call", "call_version", "submitted_by").get(
        pk=application_id
    )


# --- the PDF -----------------------------------------------------------------------


def receipt_pdf(application: Application) -> bytes:
    """The receipt as tagged PDF/UA bytes (WeasyPrint, :func:`tilskudd.core.pdf.render_pdf`); it is in bokmål."""
    return render_pdf(receipt_html(application), base_url=FONT_DIR.as_uri() + "/", language="nb")


def receipt_html(application: Application) -> str:
    return render_to_string("applications/receipt.html", receipt_context(application))


@dataclass
class Item:
    label: str
    value: str


@dataclass
class Part:
    title: str
    items: list[Item] = field(default_factory=list)


def _oslo(moment: dt.datetime | None) -> str:
    """'28.02.2030 kl. 12:00:00': the receipt shows the seconds."""
    return format_datetime(moment, "nb", seconds=True)


def _times(application: Application) -> dict[str, str]:
    return {
        "submitted_at": _oslo(application.submitted_at),
        "submitted_at_en": format_datetime(application.submitted_at, "en", seconds=False),
    }


def _signature(application: Application) -> Signature | None:
    signatures = application.signatures.select_related("signed_by", "delegation__granted_by", "delegation__call")
    matching = signatures.filter(content_hash=application.submitted_hash)
    return matching.filter(voided_at__isnull=True).first() or matching.first()


def _delegation_text(signature: Signature) -> str:
    delegation = signature.delegation
    if delegation is None:
        return ""
    scope = f"utlysningen «{delegation.call.title_nb}»" if delegation.call_id else "alle utlysninger"
    granted_by = delegation.granted_by.get_full_name() if delegation.granted_by_id else ""
    return f"Fullmakt fra {granted_by}, gjelder {scope}, gyldig til og med {format_date(delegation.valid_until)}"


def receipt_context(application: Application) -> dict[str, Any]:
    document = application.submitted_content or {}
    definition = application.call_version.parsed()
    parsed = ExchangeApplication.model_validate(document)
    signature = _signature(application)
    applicant = document.get("applicant", {})
    budget = parsed.budget
    own = budget.own_contribution
    warnings = [f for f in application.submitted_findings or [] if f.get("severity") == "warning"]
    attachment_labels = _attachment_labels(definition)
    partner_labels = {
        check.partner_kind: check.label.nb for check in definition.checks if isinstance(check, PartnerCheck)
    }
    return {
        "application": application,
        "title": application.title or str((document.get("answers") or {}).get("project_title") or ""),
        "call_title": application.call.title_nb,
        "call_slug": application.call.slug,
        "call_version": application.call_version.number,
        "case_number": application.case_number,
        "organisation_name": applicant.get("name") or application.organisation.name,
        "org_number": applicant.get("org_number") or application.organisation.org_number,
        "submitted_at": _oslo(application.submitted_at),
        "submitted_by": application.submitted_by.get_full_name() if application.submitted_by else "",
        "submitted_hash": application.submitted_hash,
        "signature": signature,
        "signed_by": signature.signed_by.get_full_name() if signature else "",
        "signed_title": signature.title if signature else "",
        "signed_capacity": CAPACITY_NB.get(signature.capacity, signature.capacity) if signature else "",
        "signed_delegation": _delegation_text(signature) if signature else "",
        "signed_at": _oslo(signature.signed_at) if signature else "",
        "signed_hash": signature.content_hash if signature else "",
        "areas": _areas(definition, parsed.areas),
        "joint": parsed.joint,
        "joint_members": joint_member_rows(parsed),
        "parts": _parts(definition, parsed, document),
        "contacts": parsed.contacts,
        "partners": [
            {
                "partner": p,
                "kind": partner_labels.get(p.kind, p.kind),
                "confirmations": ", ".join(f"{k}: {'ja' if v else 'nei'}" for k, v in p.confirmations.items()),
            }
            for p in parsed.partners
        ],
        "budget_lines": [
            {
                "category": _category_label(definition, line.category),
                "description": line.description,
                "year": line.year or "",
                "amount": nok(line.amount),
            }
            for line in budget.lines
        ],
        "budget_has_years": any(line.year for line in budget.lines),
        "total_costs": nok(budget.total_costs),
        "totals_by_year": [
            (year, nok(amount)) for year, amount in sorted(budget.totals_by_year().items(), key=lambda i: i[0] or 0)
        ]
        if len(budget.totals_by_year()) > 1
        else [],
        "own_contribution": own,
        "own_amount": nok(own.amount) if own else "",
        "own_in_kind": nok(own.in_kind_amount) if own else "",
        "own_total": nok(own.total) if own else "",
        "funding_sources": [(funding_source_text(s), nok(s.amount)) for s in budget.funding_sources],
        "funding_total": nok(sum(s.amount for s in budget.funding_sources)),
        "amount_applied": nok(budget.amount_applied),
        "stipend": budget.stipend,
        "stipend_amount": nok(budget.stipend.amount_applied) if budget.stipend else "",
        "attachments": [
            {
                "label": attachment_labels.get(a.kind, a.kind),
                "filename": a.filename,
                "content_type": a.content_type or "",
                "sha256": a.sha256 or "",
            }
            for a in parsed.attachments
        ],
        "warnings": warnings,
        "made_at": _oslo(timezone.now()),
    }


def joint_member_rows(parsed: ExchangeApplication) -> list[tuple[str, str, str]]:
    """Each member of a joint application as (name, org. number, kind of applicant) (format version 2)."""
    if parsed.joint is None:
        return []
    return [
        (
            member.name or "–",
            member.org_number,
            APPLICANT_TYPE_NAMES[member.applicant_type.value][0].capitalize() if member.applicant_type else "–",
        )
        for member in parsed.joint.members
    ]


def funding_source_text(source: FundingSource) -> str:
    """A funding source's name, with the grant's status and grantor where given (format version 2, C2-R07)."""
    status = {"applied": "søkt om", "granted": "innvilget"}.get(source.status.value if source.status else "", "")
    grantor = f"org.nr. {source.grantor_org_number}" if source.grantor_org_number else ""
    said = ", ".join(part for part in (status, grantor) if part)
    return f"{source.name} ({said})" if said else source.name


def _areas(definition: CallDefinition, chosen: list[str]) -> list[str]:
    if definition.areas is None:
        return list(chosen)
    titles = {area.id: area.title.nb for area in definition.areas.items}
    return [f"{area_id}: {titles[area_id]}" if area_id in titles else area_id for area_id in chosen]


def _category_label(definition: CallDefinition, category: str) -> str:
    for item in definition.budget.categories:
        if item.id == category:
            return item.label.nb
    return category


def _attachment_labels(definition: CallDefinition) -> dict[str, str]:
    labels: dict[str, str] = {"other": "Annet vedlegg"}
    for form_field in definition.fields:
        if form_field.type is FieldType.ATTACHMENT:
            labels.setdefault(form_field.attachment_kind or form_field.id, form_field.label.nb)
    for check in definition.checks:
        if isinstance(check, AttachmentCheck):
            labels.setdefault(check.attachment_kind, check.label.nb)
    return labels


def _parts(definition: CallDefinition, parsed: ExchangeApplication, document: dict[str, Any]) -> list[Part]:
    """Every answer under its section and label from the call; answers the call does not name last."""
    parts: list[Part] = []
    covered: set[str] = set()
    for section in definition.sections:
        part = Part(section.title.nb)
        for form_field in definition.fields:
            if form_field.section != section.id:
                continue
            covered.add(form_field.value_path)
            if form_field.type in _STRUCTURED:
                continue
            value = resolve(parsed, form_field.value_path)
            if is_empty(value):
                continue
            part.items.append(Item(form_field.label.nb, format_value(form_field, value)))
        if part.items:
            parts.append(part)
    others = Part("Andre svar")
    for key, value in (document.get("answers") or {}).items():
        if f"answers.{key}" in covered or is_empty(value):
            continue
        others.items.append(Item(key, format_value(None, value)))
    if others.items:
        parts.append(others)
    return parts


def format_value(form_field: FormField | None, value: Any) -> str:
    """An answer as the receipt shows it: Ja/Nei, kroner, dates as dd.mm.yyyy, choices by their label."""
    kind = form_field.type if form_field else None
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if kind is FieldType.MONEY and isinstance(value, int):
        return nok(value)
    if kind in (FieldType.CHOICE, FieldType.MULTICHOICE) and form_field is not None:
        labels = {choice.value: choice.label.nb for choice in form_field.choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if kind is FieldType.COUNTIES or (hasattr(value, "activity") and hasattr(value, "branches")):
        return _counties(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if kind is FieldType.DATE and isinstance(value, str):
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, list):
        return ", ".join(format_value(None, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(None, v)}" for k, v in value.items())
    if hasattr(value, "model_dump"):
        return format_value(None, value.model_dump(mode="json"))
    return str(value)


def _counties(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(county_name(str(code)) for code in value)
    groups = value.model_dump() if hasattr(value, "model_dump") else dict(value)
    names = {"activity": "Aktivitet", "members": "Medlemmer", "branches": "Lokallag"}
    shown = [
        f"{names.get(key, key)}: {', '.join(county_name(str(code)) for code in codes)}"
        for key, codes in groups.items()
        if codes
    ]
    return "; ".join(shown)
