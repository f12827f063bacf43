"""Domain operations on applications. Each runs in one transaction, checks
permission, changes state through the state machine and writes the audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from tilskudd.applications import permissions, tasks
from tilskudd.applications.models import Application, CaseNumberCounter, Signature
from tilskudd.applications.signals import application_submitted
from tilskudd.applications.states import EDITABLE, Status, audit_action, check_transition
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.calls.models import Call
from tilskudd.core.formatting import format_datetime
from tilskudd.core.refusals import NotAllowed as NotAllowed  # raised by every operation here (a falsy Permission)
from tilskudd.core.refusals import Refusal, require
from tilskudd.rules import Application as ExchangeApplication
from tilskudd.rules import Finding, evaluate
from tilskudd.rules.findings import has_errors

#: The parts of the exchange format that the applicant edits (the rest comes from the organisation).
EDITABLE_KEYS = ("grantor", "areas", "joint", "contacts", "answers", "partners", "budget")


class StaleRevision(Refusal):
    """Someone else saved the draft after this person opened it."""

    def __init__(
        self,
        reason_nb: str = "Søknaden er endret siden du åpnet den.",
        reason_en: str = "The application changed after you opened it.",
    ):
        super().__init__(reason_nb, reason_en)


class SubmissionRefused(Refusal):
    """Submission is impossible: the reasons say why (deadline, errors, missing signature …)."""

    def __init__(self, reason_nb: str, reason_en: str, findings: list[Finding] | None = None):
        super().__init__(reason_nb, reason_en)
        self.findings = findings or []


# --- reading -------------------------------------------------------------------


def exchange_document(application: Application) -> dict[str, Any]:
    """The application in the exchange format, with the organisation's current data."""
    document: dict[str, Any] = {"format": "tilskudd.application/1", "call": application.call.slug}
    for key in EDITABLE_KEYS:
        if key in application.content:
            document[key] = application.content[key]
    document["applicant"] = application.organisation.as_applicant()
    document["attachments"] = [
        {"kind": a.kind, "filename": a.original_name, "content_type": a.content_type, "sha256": a.sha256}
        for a in application.attachment_files.all()
    ]
    return document


def content_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CheckOutcome:
    findings: list[Finding]
    #: Field-precise problems with the content's shape (path, message) — the engine could not run.
    format_errors: list[tuple[str, str]]

    @property
    def can_submit(self) -> bool:
        return not self.format_errors and not has_errors(self.findings)


def check(application: Application, at: dt.datetime | None = None) -> CheckOutcome:
    """Run the rule engine on the application as it is now (the same engine as API, CLI and screening)."""
    document = exchange_document(application)
    try:
        parsed = ExchangeApplication.model_validate(document)
    except ValidationError as error:
        problems = [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in error.errors()]
        return CheckOutcome([], problems)
    definition = application.call_version.parsed()
    moment = at or timezone.now()
    if application.status == Status.REOPENED and application.submitted_at:
        # Completion after the call's deadline is judged as of the first submission;
        # submit() checks the completion deadline itself.
        moment = application.submitted_at
    return CheckOutcome(evaluate(definition, parsed, moment), [])


# --- drafting ------------------------------------------------------------------


def start_draft(user, organisation, call: Call) -> Application:
    require(permissions.can_create(user, organisation))
    with transaction.atomic():
        application = Application.objects.create(
            organisation=organisation,
            call=call,
            call_version=call.current_version,
            content={"areas": [], "answers": {}, "budget": {}},
            created_by=user,
            updated_by=user,
        )
        record(
            user,
            application,
            AuditAction.APPLICATION_CREATED,
            to_state=Status.DRAFT,
            data={"call": call.slug},
            audience=Audience.APPLICANT,
        )
    return application


def save_draft(user, application_id: int, changes: dict[str, Any], based_on_revision: int) -> Application:
    """Merge ``changes`` (top-level keys of the exchange format) into the draft.

    Refused when the draft changed since ``based_on_revision`` (two people
    editing at once never overwrite each other silently). Any change voids an
    existing signature.
    """
    unknown = set(changes) - set(EDITABLE_KEYS)
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        require(permissions.can_edit(user, application))
        if application.revision != based_on_revision:
            raise StaleRevision()
        changed = sorted(key for key, value in changes.items() if application.content.get(key) != value)
        if not changed:
            return application
        application.content = {**application.content, **changes}
        if "answers" in changes and isinstance(changes["answers"], dict):
            application.title = str(changes["answers"].get("project_title") or application.title)[:300]
        application.revision += 1
        application.updated_by = user
        application.save()
        _void_signatures(application, "Søknaden ble endret etter signering.")
        record(
            user,
            application,
            AuditAction.DRAFT_SAVED,
            data={"changed": changed, "revision": application.revision},
            audience=Audience.APPLICANT,
        )
    return application


def _void_signatures(application: Application, reason: str) -> None:
    application.signatures.filter(voided_at__isnull=True).update(voided_at=timezone.now(), voided_reason=reason)


#: Why a signature made under a delegation no longer counts (stored with the voided signature).
DELEGATION_REVOKED = "Fullmakten ble trukket tilbake."


def void_signatures_of_delegation(actor, delegation) -> int:
    """Void the signatures made under ``delegation`` on applications not yet submitted (it was revoked).

    Runs inside the transaction that revoked the delegation; each application affected gets an
    event the applicant sees. Returns how many signatures were voided.
    """
    signatures = list(
        Signature.objects.select_for_update()
        .filter(delegation=delegation, voided_at__isnull=True, application__status__in=EDITABLE)
        .select_related("application")
    )
    now = timezone.now()
    for signature in signatures:
        signature.voided_at, signature.voided_reason = now, DELEGATION_REVOKED
        signature.save(update_fields=["voided_at", "voided_reason"])
        record(
            actor,
            signature.application,
            AuditAction.SIGNATURE_VOIDED,
            reason="Fullmakten signaturen ble gitt under, er trukket tilbake.",
            data={"signature": signature.pk, "delegation": delegation.pk},
            audience=Audience.APPLICANT,
        )
    return len(signatures)


def content_changed(application: Application) -> None:
    """Call after an attachment is added or removed: the content moved on, signatures are void."""
    application.revision += 1
    application.save(update_fields=["revision", "updated_at"])
    _void_signatures(application, "Vedleggene ble endret etter signering.")


# --- signing and submitting -------------------------------------------------------


def sign(user, application_id: int, revision: int) -> Signature:
    """Sign exactly the content of ``revision``; refused while the rule engine finds errors."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        require(permissions.can_sign(user, application))
        if application.revision != revision:
            raise StaleRevision()
        outcome = check(application)
        if not outcome.can_submit:
            raise SubmissionRefused(
                "Søknaden har feil som må rettes før den kan signeres.",
                "The application has errors that must be fixed before it can be signed.",
                outcome.findings,
            )
        capacity = permissions.signing_capacity(user, application)
        assert capacity is not None
        kind, delegation = capacity
        member = permissions.membership(user, application.organisation)
        _void_signatures(application, "Erstattet av en ny signatur.")
        signature = Signature.objects.create(
            application=application,
            signed_by=user,
            signed_at=timezone.now(),
            content_hash=content_hash(exchange_document(application)),
            revision=application.revision,
            capacity=kind,
            title=member.title if member else "",
            delegation=delegation,
        )
        record(
            user,
            application,
            AuditAction.APPLICATION_SIGNED,
            data={
                "hash": signature.content_hash,
                "capacity": kind,
                "delegation": delegation.pk if delegation else None,
            },
            audience=Audience.APPLICANT,
        )
    return signature


@dataclass(frozen=True)
class SubmitResult:
    application: Application
    created: bool  # False: it was already submitted (a double click or a retry)


def submit(user, application_id: int) -> SubmitResult:
    """Submit the signed application: atomic and idempotent.

    A second call (double click, retry after a lost response) returns the same
    submission instead of making another. Refused after the deadline, judged by
    the server clock in Europe/Oslo (X-R01), without a valid signature, or with
    errors. On success the application is locked (X-R04), gets its case number
    and the receipt is queued.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("call", "organisation").get(pk=application_id)
        )
        if application.status == Status.SUBMITTED and permissions.can_view(user, application):
            _ensure_after_submission(application)
            return SubmitResult(application, created=False)
        require(permissions.can_submit(user, application))
        now = timezone.now()
        if now > submission_deadline(application):
            deadline = submission_deadline(application)
            raise SubmissionRefused(
                f"Søknadsfristen gikk ut {format_datetime(deadline, 'nb', seconds=False)}. "
                "Søknaden kan ikke sendes inn.",
                f"The deadline passed on {format_datetime(deadline, 'en', seconds=False)}. "
                "The application cannot be submitted.",
            )
        outcome = check(application, now)
        if not outcome.can_submit:
            raise SubmissionRefused(
                "Søknaden har feil som må rettes før den kan sendes inn.",
                "The application has errors that must be fixed before it can be submitted.",
                outcome.findings,
            )
        document = exchange_document(application)
        digest = content_hash(document)
        signature = application.active_signature()
        if signature is not None and not permissions.may_still_sign(signature, application):
            raise SubmissionRefused(
                "Den som signerte, har ikke lenger signaturrett eller fullmakt. "
                "Søknaden må signeres på nytt av en med signaturrett før den sendes inn.",
                "The person who signed no longer has signing authority or a delegation. "
                "The application must be signed again by a signatory before it is submitted.",
            )
        if signature is None or signature.content_hash != digest:
            raise SubmissionRefused(
                "Søknaden må signeres av en med signaturrett før den sendes inn. "
                "Er den endret etter signering, må den signeres på nytt.",
                "The application must be signed by a signatory before it is submitted. "
                "If it changed after signing, it must be signed again.",
            )
        action = check_transition(application.status, Status.SUBMITTED)
        previous = application.status
        application.status = Status.SUBMITTED
        application.submitted_at = now
        application.submitted_by = user
        application.submitted_content = document
        application.submitted_hash = digest
        application.submitted_findings = [f.as_dict() for f in outcome.findings]
        if not application.case_number:
            application.case_number = _next_case_number(now)
        application.save()
        record(
            user,
            application,
            audit_action(action),
            from_state=previous,
            to_state=Status.SUBMITTED,
            data={"hash": digest, "case_number": application.case_number, "signature": signature.pk},
            audience=Audience.APPLICANT,
        )
        application_submitted.send(sender=Application, application=application)
        _after_submission(application.pk)
    return SubmitResult(application, created=True)


def submission_deadline(application: Application) -> dt.datetime:
    """The call's deadline, or the completion deadline of an application reopened for completion (X-R04)."""
    if application.status == Status.REOPENED and application.reopened_until:
        return application.reopened_until
    return application.call.deadline


def _next_case_number(now: dt.datetime) -> str:
    year = timezone.localtime(now).year
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year % 100:02d}/{counter.last:05d}"


def _after_submission(application_id: int) -> None:
    """Queue what follows a submission (receipt PDF and e-mail), inside the submission's transaction.

    With the database task backend the task row commits or rolls back with the
    submission, so a crash right after the commit cannot lose the receipt.
    """
    tasks.queue_receipt_with_submission(application_id)


def ensure_receipt(application_id: int) -> None:
    """A client's retry of a submission already made (e.g. an Idempotency-Key seen before): its receipt
    exists or is queued again, never a second one. One transaction; does nothing for a draft."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        _ensure_after_submission(application)


def _ensure_after_submission(application: Application) -> None:
    """A retry of a submitted application: queue its receipt again if it was lost (never a second one)."""
    tasks.ensure_receipt(application)


def withdraw(user, application_id: int, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        require(permissions.can_withdraw(user, application))
        action = check_transition(application.status, Status.WITHDRAWN)
        previous = application.status
        application.status = Status.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        record(
            user,
            application,
            audit_action(action),
            from_state=previous,
            to_state=Status.WITHDRAWN,
            reason=reason,
            audience=Audience.APPLICANT,
        )
    return application
