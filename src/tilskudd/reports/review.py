"""The caseworker's review of a delivered report (issue #12, point 5).

Each public function is one transaction: it checks that the person is a caseworker of the grantor of the case
(``casework.scope``), moves the duty through ``reports.states.DUTY_TRANSITIONS`` and writes an audit event the
grantee reads in the history (``Audience.APPLICANT``).

* :func:`approve_report`: delivered → approved. When every duty of the grant is approved the grant moves
  PAID_OUT → REPORTED, and on to CLOSED when nothing is owed (no unused amount in the accounts); a grant with an
  unused amount waits at REPORTED for the caseworker's repayment claim (``reports.repayment``).
* :func:`request_changes`: delivered → changes_requested, with a message the grantee reads and a new deadline
  (the duty's ``due``); the grantee delivers again (``DELIVERABLE``), as a new version.
* :func:`hold_next_term`: an overdue report holds the grant's next planned payment term
  (``payments.services.hold_term``) with the reason «Rapport ikke levert innen fristen».
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role
from tilskudd.core.formatting import format_date
from tilskudd.core.refusals import Refusal
from tilskudd.grants.awards.services import move_grant
from tilskudd.grants.models import Grant, PaymentTerm
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.payments import services as payments
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.states import DUTY_STATUS_EN, DutyStatus, check_duty_transition, is_overdue

#: The reason the grantee reads when a term is held for an overdue report.
HOLD_REASON = "Rapport ikke levert innen fristen"
MAX_MESSAGE = 5_000


class ReviewRefused(Refusal):
    """The review is not done; the reason says why. Nothing is changed."""


class ReviewNotFound(ReviewRefused):
    status = 404


class ReviewInvalid(ReviewRefused):
    status = 400


def grantor_of(duty: ReportingDuty) -> str:
    return duty.grant.application.case.grantor_org_number


def _locked(user, duty_id: int) -> ReportingDuty:
    """The duty locked; 404 outside the person's grantors, 403 without the caseworker role there."""
    duty = (
        ReportingDuty.objects.select_for_update(of=("self",))
        .select_related("grant", "grant__application", "grant__application__case")
        .filter(pk=duty_id)
        .first()
    )
    case = getattr(duty.grant.application, "case", None) if duty else None
    if duty is None or case is None or not scope.can_see_case(user, case):
        raise ReviewNotFound("Fant ikke rapporteringsplikten.", "No such reporting duty.")
    if not scope.can_see_case(user, case, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)
    return duty


def _must_be_delivered(duty: ReportingDuty) -> None:
    if duty.status != DutyStatus.DELIVERED:
        status = DutyStatus(duty.status)
        raise ReviewRefused(
            f"Rapporten er «{status.label.lower()}»; bare en levert rapport kan vurderes.",
            f"The report is '{DUTY_STATUS_EN[status].lower()}'; only a delivered report can be reviewed.",
        )


def _move(user, duty: ReportingDuty, target: str, action: AuditAction, *, reason: str = "", **data) -> None:
    move = check_duty_transition(duty.status, target)
    before = duty.status
    duty.status = target
    duty.status_changed_at = timezone.now()
    duty.save(update_fields=["status", "status_changed_at", "changes_message", "due"])
    latest = duty.reports.order_by("-version").first()
    record(
        user,
        duty,
        action,
        from_state=before,
        to_state=target,
        reason=reason,
        data={"move": move, "report": latest.pk if latest else None, **data},
        audience=Audience.APPLICANT,
    )


def unused_amount(grant: Grant) -> int:
    """What the latest accounts of the grant's duties leave unused (0 where no accounts were delivered)."""
    total = 0
    for duty in grant.reporting_duties.filter(accounts=True):
        latest = duty.reports.order_by("-version").first()
        if latest is not None:
            total += int(latest.accounts.get("unused") or 0)
    return total


def approve_report(user, duty_id: int) -> ReportingDuty:
    """Approve the delivered report; the grant is reported (and closed when nothing is owed) once all are approved."""
    with transaction.atomic():
        duty = _locked(user, duty_id)
        _must_be_delivered(duty)
        duty.changes_message = ""
        _move(user, duty, DutyStatus.APPROVED, AuditAction.REPORT_APPROVED)
        grant = Grant.objects.select_for_update().get(pk=duty.grant_id)
        if (
            grant.status == GrantStatus.PAID_OUT
            and not grant.reporting_duties.exclude(status=DutyStatus.APPROVED).exists()
        ):
            unused = unused_amount(grant)
            move_grant(user, grant, GrantStatus.REPORTED, AuditAction.GRANT_REPORTED, unused=unused)
            if unused == 0:
                move_grant(user, grant, GrantStatus.CLOSED, AuditAction.GRANT_CLOSED, unused=0)
    return duty


def request_changes(user, duty_id: int, message: str, due: dt.date | None) -> ReportingDuty:
    """Send the report back with a message and a new deadline (today or later, Europe/Oslo)."""
    message = (message or "").strip()
    with transaction.atomic():
        duty = _locked(user, duty_id)
        _must_be_delivered(duty)
        if not message:
            raise ReviewInvalid(
                "Skriv hva som må endres. Tilskuddsmottakeren ser meldingen.",
                "Write what must be changed. The grantee sees the message.",
            )
        if len(message) > MAX_MESSAGE:
            raise ReviewInvalid(
                f"Meldingen kan være på høyst {MAX_MESSAGE} tegn.",
                f"The message can be at most {MAX_MESSAGE} characters.",
            )
        today = timezone.localdate()
        if due is None or due < today:
            raise ReviewInvalid(
                f"Sett en ny frist, {format_date(today)} eller senere.",
                f"Set a new deadline, {today.isoformat()} or later.",
            )
        before_due = duty.due
        duty.changes_message = message
        duty.due = due
        _move(
            user,
            duty,
            DutyStatus.CHANGES_REQUESTED,
            AuditAction.REPORT_CHANGES_REQUESTED,
            reason=message,
            due=due.isoformat(),
            earlier_due=before_due.isoformat() if before_due else None,
        )
    return duty


def next_term(grant: Grant) -> PaymentTerm | None:
    """The grant's next planned payment term (None when every term is paid, ordered, held or cancelled)."""
    return grant.terms.filter(status=TermStatus.PLANNED).order_by("number").first()


def hold_next_term(user, duty_id: int) -> PaymentTerm:
    """Hold the next planned term of the grant of an overdue report (``payments.services.hold_term``)."""
    with transaction.atomic():
        duty = _locked(user, duty_id)
        if not is_overdue(duty.status, duty.due, timezone.localdate()):
            raise ReviewRefused(
                "Rapporten er ikke på overtid; utbetalingen kan ikke holdes tilbake av den grunn.",
                "The report is not overdue; the payment cannot be held for that reason.",
            )
        term = next_term(duty.grant)
        if term is None:
            raise ReviewRefused(
                "Tilskuddet har ingen planlagt utbetaling å holde tilbake.",
                "The grant has no planned payment to hold.",
            )
        return payments.hold_term(user, term.pk, HOLD_REASON)
