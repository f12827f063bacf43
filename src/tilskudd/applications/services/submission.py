"""Signing, submitting (atomic and idempotent, with the receipt queued) and withdrawing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tilskudd.applications import permissions, tasks
from tilskudd.applications.case_numbers import next_case_number
from tilskudd.applications.models import Application, Signature
from tilskudd.applications.services.content import check, content_hash, exchange_document
from tilskudd.applications.services.drafting import StaleRevision, void_signatures
from tilskudd.applications.signals import application_submitted
from tilskudd.applications.states import Status, audit_action, check_transition
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.formatting import format_datetime
from tilskudd.core.refusals import Refusal, require
from tilskudd.orgs.permissions import memberships_remembered
from tilskudd.rules import Finding


class SubmissionRefused(Refusal):
    """Submission is impossible: the reasons say why (deadline, errors, missing signature …)."""

    def __init__(self, reason_nb: str, reason_en: str, findings: list[Finding] | None = None):
        super().__init__(reason_nb, reason_en)
        self.findings = findings or []


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
        void_signatures(application, "Erstattet av en ny signatur.")
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
    #: The signature submitted with it (None when it was already submitted: not read again).
    signature: Signature | None = None


def submit(user, application_id: int, *, organisation_id: int | None = None) -> SubmitResult:
    """Submit the signed application: atomic and idempotent.

    A second call (double click, retry after a lost response) returns the same
    submission instead of making another. Refused after the deadline, judged by
    the server clock in Europe/Oslo (X-R01), without a valid signature, or with
    errors. On success the application is locked (X-R04), gets its case number
    and the receipt is queued. ``organisation_id``: only an application of that
    organisation (else ``Application.DoesNotExist``), as the API reads it.

    Only the application's row is locked (``of=("self",)``): locking the joined call
    and organisation rows too made every submission to a call wait for the one before.
    The application, its call version and attachments are read once, and the person's
    membership once (issue #14, point 2).
    """
    with transaction.atomic(), memberships_remembered():
        found = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "call_version", "organisation")
            .prefetch_related("attachment_files")
        )
        if organisation_id is not None:
            found = found.filter(organisation_id=organisation_id)
        application = found.get(pk=application_id)
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
        document = exchange_document(application)
        outcome = check(application, now, document=document)
        if not outcome.can_submit:
            raise SubmissionRefused(
                "Søknaden har feil som må rettes før den kan sendes inn.",
                "The application has errors that must be fixed before it can be submitted.",
                outcome.findings,
            )
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
            application.case_number = next_case_number(now)
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
    return SubmitResult(application, created=True, signature=signature)


def submission_deadline(application: Application) -> dt.datetime:
    """The call's deadline, or the completion deadline of an application reopened for completion (X-R04)."""
    if application.status == Status.REOPENED and application.reopened_until:
        return application.reopened_until
    return application.call.deadline


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
