"""Decisions (*vedtak*): prepare, approve (four eyes), return, cancel, publish.

Each function is one domain operation in one transaction: it checks the
person's role at the application's grantor (``casework.scope``), moves the
decision through its state machine (``grants.states``) and the application
through its own (``applications.states``), and writes an audit event with
who, when, what and why (X-R06).

A decision's amount always goes through the frame: ``prepare_decision`` sets
the application's allocation for the call's year through
``grants.allocation.frames.set_allocation``, which refuses with
``frames.FrameExceeded`` when the frame would be exceeded — so a decision can
never take a grantor past its frame. A refusal sets the allocation to 0.

Publishing stores each letter (``grants.decisions.letters``) as a ``Document`` and
queues the e-mail to the applicant once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tilskudd import background
from tilskudd.applications import outcomes
from tilskudd.applications import states as application_states
from tilskudd.applications.models import Application, Document
from tilskudd.assessment.models import AssessmentLock
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import facts as case_facts
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Case, Role
from tilskudd.core.formatting import format_nok
from tilskudd.core.refusals import Refusal
from tilskudd.grants import states
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import changes as grant_changes
from tilskudd.grants.awards import plan as award_plan
from tilskudd.grants.awards import services as awards
from tilskudd.grants.decisions import letters
from tilskudd.grants.models import AllocationLine, Decision, Grant, PaymentTerm
from tilskudd.grants.signals import decision_published
from tilskudd.grants.states import (
    ACTIVE,
    APPLICATION_STATUS_AFTER,
    DecisionKind,
    DecisionStatus,
    GrantStatus,
    TermStatus,
)
from tilskudd.grants.tasks import notify_decision

logger = logging.getLogger(__name__)


class DecisionRefused(Refusal):
    """The operation is not allowed now; the reasons are shown to the person."""


# --- small helpers -------------------------------------------------------------------


def _case(application: Application) -> Case:
    case = Case.objects.filter(application=application).first()
    if case is None:
        raise DecisionRefused(
            "Søknaden har ingen sak hos en tilskuddsforvalter.", "The application has no case at a grantor."
        )
    return case


def _require(user, case: Case, role: str) -> None:
    """The person has ``role`` at the case's grantor (outside their grantors the refusal says nothing more)."""
    if not scope.can_see_case(user, case, role):
        raise RoleMissing(role)


def call_year(application: Application) -> int:
    return application.call_version.parsed().year


def applicable_conditions(application: Application) -> list:
    """The call's grant conditions that apply to the application: its areas (all where a condition names none),
    and a joint application's conditions only to a joint application."""
    definition = application.call_version.parsed()
    areas = set(case_facts.areas_of(application))
    joint = case_facts.is_joint(application)
    return [
        c for c in definition.grant_conditions if (not c.areas or areas & set(c.areas)) and (joint or not c.joint_only)
    ]


def default_conditions(application: Application) -> list[str]:
    return [c.id for c in applicable_conditions(application) if c.default]


def allocation_amount(application: Application, year: int | None = None) -> int | None:
    year = year or call_year(application)
    line = AllocationLine.objects.filter(application=application, year=year).first()
    return line.amount if line else None


def active_decision(application: Application) -> Decision | None:
    return application.decisions.filter(status__in=[s.value for s in ACTIVE], continues__isnull=True).first()


def _set_allocation(user, application: Application, year: int, amount: int, nb: str, en: str) -> None:
    """Through the frame (``grants.allocation.frames``); FrameExceeded propagates."""
    frames.set_allocation(user, application.pk, year, amount, explanation_nb=nb, explanation_en=en, source="caseworker")


def _locked(decision_id: int) -> Decision:
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application", "application__call", "application__call_version", "application__organisation")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        raise DecisionRefused("Fant ikke vedtaket.", "No such decision.")
    return decision


def _move(decision: Decision, target: str) -> str:
    try:
        return states.check_transition(decision.status, target)
    except states.TransitionNotAllowed:
        raise DecisionRefused(
            f"Vedtaket er «{DecisionStatus(decision.status).label}» og kan ikke få status «{DecisionStatus(target).label}».",
            f"The decision is '{states.DECISION_STATUS_EN[DecisionStatus(decision.status)]}' and cannot become "
            f"'{states.DECISION_STATUS_EN[DecisionStatus(target)]}'.",
        ) from None


def _moved(decision: Decision, target: str, **fields: Any) -> str:
    """Move the decision to ``target`` (DecisionRefused if it cannot go there) with ``fields``, saved; the status it had."""
    before = decision.status
    _move(decision, target)
    decision.status = target
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.save(update_fields=["status", *fields])
    return before


def _record_move(user, decision: Decision, before: str, action: AuditAction, **details: Any) -> None:
    """The staff-only event of a move from ``before`` to the decision's status now."""
    record(user, decision, action, from_state=before, to_state=decision.status, audience=Audience.INTERNAL, **details)


def _dates(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# --- prepare -------------------------------------------------------------------------


def prepare_decision(
    user,
    application_id: int,
    kind: str,
    amount: int | None = None,
    reasons: str = "",
    conditions: list[str] | None = None,
    extra_conditions: str = "",
    later_years: dict | None = None,
    period_start=None,
    period_end=None,
    report_due=None,
    acceptance_due=None,
    payment_terms: int | None = None,
    payment_dates: list | None = None,
) -> Decision:
    """Prepare a grant, refusal or rejection for approval. Only a caseworker of the application's grantor.

    ``payment_terms``/``payment_dates``: the plan where the call leaves it to the letter (``_payment_plan``).
    """
    kind = DecisionKind(kind)
    reasons = (reasons or "").strip()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "call_version", "organisation")
            .filter(pk=application_id)
            .first()
        )
        if application is None:
            raise DecisionRefused("Fant ikke søknaden.", "No such application.")
        case = _case(application)
        _require(user, case, Role.CASEWORKER)
        current = active_decision(application)
        if current is not None:
            raise DecisionRefused(
                f"Søknaden har allerede et vedtak som er «{DecisionStatus(current.status).label}». "
                "Avbryt det, eller be beslutteren sende det tilbake, før du lager et nytt.",
                f"The application already has a decision that is '{states.DECISION_STATUS_EN[DecisionStatus(current.status)]}'. "
                "Cancel it, or ask the approver to return it, before preparing a new one.",
            )
        if kind in (DecisionKind.GRANT, DecisionKind.REFUSAL):
            if application.status != application_states.Status.IN_ASSESSMENT:
                raise DecisionRefused(
                    "Tilskudd og avslag krever at søknaden er til vurdering.",
                    "A grant or refusal needs the application to be in assessment.",
                )
            if not AssessmentLock.objects.filter(application=application).exists():
                raise DecisionRefused(
                    "Den faglige vurderingen må være låst før det kan lages vedtak om tilskudd eller avslag.",
                    "The assessment must be locked before a grant or refusal can be prepared.",
                )
        target = APPLICATION_STATUS_AFTER[kind]
        try:
            application_states.check_transition(application.status, target)
        except application_states.TransitionNotAllowed:
            status = application_states.Status(application.status)
            raise DecisionRefused(
                f"En søknad med status «{status.label}» kan ikke få dette vedtaket.",
                f"An application with status '{application_states.STATUS_EN[status]}' cannot get this decision.",
            ) from None
        if kind in (DecisionKind.REFUSAL, DecisionKind.REJECTION) and not reasons:
            raise DecisionRefused(
                "Skriv begrunnelsen for vedtaket. Den står i brevet til søkeren.",
                "Write the reasons for the decision. They appear in the letter to the applicant.",
            )
        year = call_year(application)
        applied = case_facts.applied_for(application)
        start, end = _dates(period_start), _dates(period_end)
        chosen: list[str] = []
        commitments: dict[str, int] = {}
        if kind == DecisionKind.GRANT:
            if amount is None:
                amount = allocation_amount(application, year)
            if amount is None:
                raise DecisionRefused(
                    "Oppgi beløpet. Søknaden har ingen fordeling for året ennå.",
                    "Give the amount. The application has no allocation for the year yet.",
                )
            amount = int(amount)
            if amount <= 0:
                raise DecisionRefused("Beløpet må være større enn 0 kroner.", "The amount must be more than NOK 0.")
            if applied and amount > applied:
                raise DecisionRefused(
                    f"Beløpet kan ikke være større enn søknadsbeløpet ({format_nok(applied)}).",
                    f"The amount cannot be more than the amount applied for ({format_nok(applied)}).",
                )
            chosen = _conditions(application, conditions)
            for key, value in (later_years or {}).items():
                later, value = int(key), int(value or 0)
                if later <= year:
                    raise DecisionRefused(
                        f"Tilsagn for senere år må gjelde år etter {year}.",
                        f"Commitments must be for years after {year}.",
                    )
                if value < 0:
                    raise DecisionRefused("Tilsagn kan ikke være negative.", "Commitments cannot be negative.")
                if value:
                    commitments[str(later)] = value
            start = start or dt.date(year, 1, 1)
            end = end or dt.date(max([year, *map(int, commitments)]), 12, 31)
            if end < start:
                raise DecisionRefused("Perioden slutter før den begynner.", "The period ends before it starts.")
            terms, dates = _payment_plan(application, payment_terms, payment_dates, start, end)
            _set_allocation(
                user,
                application,
                year,
                amount,
                f"Vedtak om tilskudd på {format_nok(amount)} er laget.",
                f"A grant of {format_nok(amount)} has been prepared.",
            )
            for later, value in commitments.items():
                _set_allocation(
                    user,
                    application,
                    int(later),
                    value,
                    f"Tilsagn for {later} på {format_nok(value)} (med forbehold om bevilgning).",
                    f"Commitment for {later} of {format_nok(value)} (subject to appropriation).",
                )
        else:
            amount = 0
            lines = AllocationLine.objects.filter(application=application)
            years = set(lines.filter(amount__gt=0).values_list("year", flat=True))
            if kind == DecisionKind.REFUSAL:
                years.add(year)
            what_nb = "avslag" if kind == DecisionKind.REFUSAL else "avvisning"
            what_en = "refusal" if kind == DecisionKind.REFUSAL else "rejection"
            for each in sorted(years):
                _set_allocation(
                    user, application, each, 0, f"Vedtak om {what_nb} er laget.", f"A {what_en} has been prepared."
                )
        decision = Decision(
            application=application,
            kind=kind,
            status=DecisionStatus.PREPARED,
            amount=amount,
            later_years=commitments,
            period_start=start if kind == DecisionKind.GRANT else None,
            period_end=end if kind == DecisionKind.GRANT else None,
            report_due=report_due if kind == DecisionKind.GRANT else None,
            acceptance_due=acceptance_due if kind == DecisionKind.GRANT else None,
            payment_terms=terms if kind == DecisionKind.GRANT else None,
            payment_dates=dates if kind == DecisionKind.GRANT else [],
            reasons=reasons,
            conditions=chosen,
            extra_conditions=(extra_conditions or "").strip() if kind == DecisionKind.GRANT else "",
            prepared_by=user,
            prepared_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:
            raise DecisionRefused(
                "Søknaden har allerede et aktivt vedtak.", "The application already has an active decision."
            ) from None
        record(
            user,
            decision,
            AuditAction.DECISION_PREPARED,
            to_state=DecisionStatus.PREPARED,
            reason=reasons,
            data=_summary(decision),
            audience=Audience.INTERNAL,
        )
        record(
            user,
            application,
            AuditAction.DECISION_PREPARED,
            reason=reasons,
            data={"decision": decision.pk, **_summary(decision)},
            audience=Audience.INTERNAL,
        )
    return decision


def _payment_plan(
    application: Application, terms: int | None, dates: list | None, start: dt.date, end: dt.date
) -> tuple[int | None, list[str | None]]:
    """The caseworker's payment plan, checked: only where the call leaves the plan to the letter; 1 to
    ``plan.MAX_DECIDED_TERMS`` terms; each later term's first day within the period and after the one before
    (None: the term follows the acceptance). (None, []) where the call's plan applies."""
    if not terms:
        return None, []
    if not application.call_version.parsed().payment.plan_in_decision:
        raise DecisionRefused(
            "Utlysningen bestemmer utbetalingsplanen; den kan ikke settes i vedtaket.",
            "The call sets the payment plan; it cannot be set in the decision.",
        )
    terms = int(terms)
    if not 1 <= terms <= award_plan.MAX_DECIDED_TERMS:
        raise DecisionRefused(
            f"Velg mellom 1 og {award_plan.MAX_DECIDED_TERMS} terminer.",
            f"Choose between 1 and {award_plan.MAX_DECIDED_TERMS} terms.",
        )
    days = [_dates(value) for value in (dates or [])[: terms - 1]]
    days += [None] * (terms - 1 - len(days))
    previous = start
    for number, day in enumerate(days, start=2):
        if day is None:
            continue
        if not previous <= day <= end:
            raise DecisionRefused(
                f"Termin {number} må utbetales innenfor perioden og etter terminen før.",
                f"Term {number} must be paid within the period and after the term before it.",
            )
        previous = day
    return terms, [day.isoformat() if day else None for day in days]


def _conditions(application: Application, wanted: list[str] | None) -> list[str]:
    if wanted is None:
        return default_conditions(application)
    known = {c.id for c in application.call_version.parsed().grant_conditions}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise DecisionRefused(
            f"Utlysningen har ingen vilkår som heter {', '.join(unknown)}.",
            f"The call has no condition called {', '.join(unknown)}.",
        )
    return [c for c in dict.fromkeys(wanted)]


def _summary(decision: Decision) -> dict[str, Any]:
    return {
        "kind": decision.kind,
        "amount": decision.amount,
        "later_years": decision.later_years,
        "conditions": decision.conditions,
        "period": [str(decision.period_start or ""), str(decision.period_end or "")],
    }


# --- approve, return, cancel -----------------------------------------------------------------------


def approve(user, decision_id: int) -> Decision:
    """Approve a prepared decision: an approver of the grantor who did not prepare it (four eyes)."""
    with transaction.atomic():
        decision = _locked(decision_id)
        case = _case(decision.application)
        _require(user, case, Role.APPROVER)
        if decision.prepared_by_id == user.pk:
            raise DecisionRefused(
                "Du laget dette vedtaket selv og kan ikke godkjenne det. En annen beslutter må godkjenne det (fire øyne).",
                "You prepared this decision yourself and cannot approve it. Another approver must approve it (four eyes).",
            )
        before = _moved(decision, DecisionStatus.APPROVED, approved_by=user, approved_at=timezone.now())
        _record_move(user, decision, before, AuditAction.DECISION_APPROVED, data=_summary(decision))
    return decision


def return_decision(user, decision_id: int, reason: str) -> Decision:
    """Send a prepared or approved decision back to the caseworker, with the reason (approver)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        decision = _locked(decision_id)
        case = _case(decision.application)
        _require(user, case, Role.APPROVER)
        if not reason:
            raise DecisionRefused("Skriv hvorfor vedtaket sendes tilbake.", "Write why the decision is returned.")
        before = _moved(decision, DecisionStatus.RETURNED, returned_reason=reason)
        _record_move(user, decision, before, AuditAction.DECISION_RETURNED, reason=reason)
    return decision


def cancel(user, decision_id: int, reason: str = "") -> Decision:
    """Cancel a prepared decision (caseworker); a grant's allocation is freed (set to 0)."""
    with transaction.atomic():
        decision = _locked(decision_id)
        case = _case(decision.application)
        _require(user, case, Role.CASEWORKER)
        before = _moved(decision, DecisionStatus.CANCELLED)
        raised = raised_grant(decision)
        if raised is not None:
            frames.hold_granted(
                user,
                decision.application,
                raised.year,
                raised.amount,
                "Det nye vedtaket etter klagen ble avbrutt; tilskuddet holder sitt beløp i rammen.",
                "The new decision after the complaint was cancelled; the grant holds its amount in the frame.",
            )
        elif decision.kind == DecisionKind.GRANT:
            application = decision.application
            for year in sorted({call_year(application), *map(int, decision.later_years or {})}):
                if AllocationLine.objects.filter(application=application, year=year, amount__gt=0).exists():
                    _set_allocation(
                        user,
                        application,
                        year,
                        0,
                        "Vedtaket om tilskudd ble avbrutt.",
                        "The grant decision was cancelled.",
                    )
        _record_move(user, decision, before, AuditAction.DECISION_CANCELLED, reason=reason)
    return decision


# --- a grant raised after a complaint (complaints.reversal) ------------------------------------


def raised_grant(decision: Decision, lock: bool = False) -> Grant | None:
    """The application's grant that this grant decision raises: its own decision was superseded after a complaint
    (``complaints.reversal``), so publishing this one changes that grant's amount instead of making a second."""
    if decision.kind != DecisionKind.GRANT:
        return None
    grants = Grant.objects.filter(application_id=decision.application_id, decision__status=DecisionStatus.SUPERSEDED)
    if lock:
        grants = grants.select_for_update(of=("self",))
    return grants.exclude(decision=decision).first()


def prepare_raise(user, superseded: Decision, grant: Grant, amount: int, reasons: str) -> Decision:
    """A new grant decision of ``amount`` (more than the grant's) for an application whose grant decision was just
    superseded after a complaint, in the caller's transaction: the period and conditions are the grant's, the raise
    is held in the frame now (FrameExceeded, a refusal, when the frame has no room: nothing is changed)."""
    case = _case(superseded.application)
    _require(user, case, Role.CASEWORKER)
    application = superseded.application
    frames.hold_granted(
        user,
        application,
        grant.year,
        amount,
        f"Vedtak etter klage: tilskuddet økes fra {format_nok(grant.amount)} til {format_nok(amount)}.",
        f"Decision after a complaint: the grant is raised from {format_nok(grant.amount, 'en')} to "
        f"{format_nok(amount, 'en')}.",
    )
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.GRANT,
        status=DecisionStatus.PREPARED,
        amount=amount,
        later_years=grant.later_years,
        period_start=grant.period_start,
        period_end=grant.period_end,
        report_due=superseded.report_due,
        acceptance_due=grant.acceptance_due,
        reasons=reasons,
        conditions=grant.conditions,
        extra_conditions=grant.extra_conditions,
        prepared_by=user,
        prepared_at=timezone.now(),
    )
    data = {**_summary(decision), "supersedes": superseded.pk, "grant": grant.pk}
    record(
        user,
        decision,
        AuditAction.DECISION_PREPARED,
        to_state=decision.status,
        reason=reasons,
        data=data,
        audience=Audience.INTERNAL,
    )
    record(
        user,
        application,
        AuditAction.DECISION_PREPARED,
        reason=reasons,
        data={"decision": decision.pk, **data},
        audience=Audience.INTERNAL,
    )
    return decision


def _raise_grant(user, decision: Decision, grant: Grant) -> None:
    """Publishing a raise: the grant follows the new decision and gets its amount; the open terms are planned again
    (``grants.awards.changes``' rule: never below what is paid or ordered). In the publication's transaction."""
    if grant.status not in grant_changes.CHANGEABLE:
        raise DecisionRefused(
            f"Tilskuddet til søknad {decision.application.case_number} er «{GrantStatus(grant.status).label}» og "
            "kan ikke økes. Send vedtaket tilbake til saksbehandleren.",
            f"The grant of application {decision.application.case_number} is '{grant.status}' and cannot be raised. "
            "Return the decision to the caseworker.",
        )
    terms = list(PaymentTerm.objects.select_for_update().filter(grant=grant).order_by("number"))
    fixed = sum(t.amount for t in terms if t.status in (TermStatus.PAID, TermStatus.ORDERED))
    before = grant.amount
    frames.hold_granted(
        user,
        decision.application,
        grant.year,
        decision.amount,
        f"Vedtak etter klage er sendt: tilskuddet er {format_nok(decision.amount)}.",
        f"The decision after a complaint was published: the grant is {format_nok(decision.amount, 'en')}.",
    )
    replanned = grant_changes._replan(grant, terms, decision.amount - fixed)
    grant.decision = decision
    grant.amount = decision.amount
    grant.save(update_fields=["decision", "amount"])
    record(
        user,
        grant,
        AuditAction.GRANT_AMOUNT_CHANGED,
        from_state=str(before),
        to_state=str(decision.amount),
        reason=decision.reasons,
        data={"decision": decision.pk, "amount_before": before, "amount": decision.amount, "terms": replanned},
        audience=Audience.APPLICANT,
    )


# --- publish -------------------------------------------------------------------------


def publishable(call, grantor_org_number: str):
    """The approved decisions of ``call`` at one grantor, ready to publish together."""
    return (
        Decision.objects.filter(
            status=DecisionStatus.APPROVED,
            application__call=call,
            application__case__grantor_org_number=grantor_org_number,
        )
        .select_related("application", "application__organisation", "application__case", "application__call_version")
        .order_by("application__case_number")
    )


def has_frame(call, grantor_org_number: str) -> bool:
    """Whether a frame limits the grantor's allocations in the call's year (its own, a share, or the scheme's)."""
    frames.ensure_frames(call)
    found = frames.limits(call, call.definition.year)
    return any(limit.grantors is None or grantor_org_number in limit.grantors for limit in found)


class FrameMissing(DecisionRefused):
    """No frame limits the grantor's allocations in the call's year: its decisions cannot be published yet."""

    def __init__(self, call):
        year = call.definition.year
        super().__init__(
            f"Det er ikke satt noen ramme for {year} i denne utlysningen. Sett rammen på siden «Fordeling» "
            "før vedtakene sendes.",
            f"No frame is set for {year} in this call. Set the frame on the «Allocation» page before the "
            "decisions are sent.",
        )


def require_frame(call, grantor_org_number: str) -> None:
    """Refuse to publish decisions of a call where the grantor has no frame set (issue #13, point 9)."""
    if not has_frame(call, grantor_org_number):
        raise FrameMissing(call)


def publish(user, call, grantor_org_number: str) -> list[Decision]:
    """Publish every approved decision of ``call`` at the grantor: letters stored, applications decided, e-mails queued.

    Publishing again publishes nothing new (only APPROVED decisions are picked up).
    """
    if not scope.has_role(user, grantor_org_number, Role.APPROVER) or grantor_org_number not in scope.call_grantors_of(
        call
    ):
        raise RoleMissing(Role.APPROVER)
    published: list[Decision] = []
    stored: list[Document] = []
    try:
        with transaction.atomic():
            ids = list(publishable(call, grantor_org_number).values_list("pk", flat=True))
            if ids:
                require_frame(call, grantor_org_number)
            now = timezone.now()
            for decision_id in ids:
                decision = _locked(decision_id)
                if decision.status != DecisionStatus.APPROVED:
                    continue
                application = Application.objects.select_for_update(of=("self",)).get(pk=decision.application_id)
                target = APPLICATION_STATUS_AFTER[DecisionKind(decision.kind)]
                raised = raised_grant(decision, lock=True)
                try:
                    if raised is None or application.status != target:
                        application_states.check_transition(application.status, target)
                except application_states.TransitionNotAllowed:
                    status = application_states.Status(application.status)
                    raise DecisionRefused(
                        f"Søknad {application.case_number} har status «{status.label}» og kan ikke få vedtaket. "
                        "Send vedtaket tilbake til saksbehandleren.",
                        f"Application {application.case_number} is '{application_states.STATUS_EN[status]}' and cannot "
                        "get the decision. Return the decision to the caseworker.",
                    ) from None
                _move(decision, DecisionStatus.PUBLISHED)
                decision.status = DecisionStatus.PUBLISHED
                decision.published_by = user
                decision.published_at = now
                decision.application = application
                document = letters.store_letter(decision)
                stored.append(document)
                decision.letter = document
                decision.save(update_fields=["status", "published_by", "published_at", "letter"])
                outcomes.record_published_decision(application, decision.kind, decision.amount, document, now)
                if raised is not None:
                    _raise_grant(user, decision, raised)
                else:
                    awards.create_grant(user, decision, now)
                before = application.status
                application.status = target
                application.save(update_fields=["status", "updated_at"])
                record(
                    user,
                    decision,
                    AuditAction.DECISION_PUBLISHED,
                    from_state=DecisionStatus.APPROVED,
                    to_state=DecisionStatus.PUBLISHED,
                    data={"letter": document.pk, "sha256": document.sha256},
                    audience=Audience.APPLICANT,
                )
                record(
                    user,
                    application,
                    AuditAction.APPLICATION_GRANTED
                    if before == target
                    else application_states.audit_action(application_states.check_transition(before, target)),
                    from_state=before,
                    to_state=target,
                    data={
                        "decision": decision.pk,
                        "kind": decision.kind,
                        "amount": decision.amount,
                        "letter": document.pk,
                    },
                    audience=Audience.APPLICANT,
                )
                # A complaint allowed with this decision is told to the applicant now (tilskudd.complaints).
                decision_published.send(sender=Decision, decision=decision, actor=user)
                published.append(decision)
            if published:
                record(
                    user,
                    call,
                    AuditAction.CALL_DECISIONS_PUBLISHED,
                    data={"grantor": grantor_org_number, "decisions": [d.pk for d in published]},
                    audience=Audience.INTERNAL,
                )
                _queue_notifications_with_publication([d.pk for d in published])
    except BaseException:
        for document in stored:
            try:
                document.file.storage.delete(document.file.name)
            except Exception:  # best effort: the transaction is rolled back anyway
                logger.exception("Could not remove the letter file %s", document.file.name)
        raise
    return published


def _queue_notifications_with_publication(decision_ids: list[int]) -> None:
    """Queue the e-mails inside the publication's transaction (database backend; tilskudd.background), else after it."""
    for decision_id in decision_ids:
        background.enqueue_in_transaction(
            notify_decision,
            decision_id,
            after_commit=lambda decision_id=decision_id: _queue_notifications([decision_id]),
        )


def _queue_notifications(decision_ids: list[int]) -> None:
    for decision_id in decision_ids:
        try:
            notify_decision.enqueue(decision_id)
        except Exception:  # the decision is published; the e-mail can be sent later
            logger.exception("Could not queue the e-mail for decision %s", decision_id)
