"""The grant's services (*tilskudd*): made on publication; moved only through ``grants.states.GRANT_TRANSITIONS``.

Each public function is one domain operation in one transaction with an audit event on the grant's stream
(``Audience.APPLICANT`` where the grantee may read it). :func:`create_grant` runs inside the publication's
transaction (``grants.decisions.services.publish``): a published grant decision always has its grant and its
payment plan, or neither exists.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import facts as case_facts
from tilskudd.grants.awards import plan
from tilskudd.grants.models import Decision, Grant, PaymentTerm
from tilskudd.grants.states import DecisionKind, GrantStatus, TermStatus, check_grant_transition


def acceptance_due(decision: Decision, letter_date: dt.date) -> dt.date | None:
    """The last day to accept: the call's weeks from the letter's date, else the caseworker's date, else none."""
    definition = decision.application.call_version.parsed()
    terms = definition.letters.acceptance if definition.letters else None
    if terms is not None and terms.deadline_weeks:
        return letter_date + dt.timedelta(weeks=terms.deadline_weeks)
    return decision.acceptance_due


def create_grant(user, decision: Decision, now: dt.datetime) -> Grant | None:
    """The grant of a published grant decision, with its payment plan (None for a refusal or rejection, or 0 NOK).

    Called in the publication's transaction. Where the call pays on the decision (no acceptance), the grant is
    accepted by the decision itself and its terms fall due on the letter's date.
    """
    if decision.kind != DecisionKind.GRANT or decision.amount <= 0:
        return None
    application = decision.application
    definition = application.call_version.parsed()
    letter_date = timezone.localtime(now).date()
    on_decision = plan.pays_on_decision(definition)
    grant = Grant.objects.create(
        decision=decision,
        application=application,
        year=definition.year,
        amount=decision.amount,
        later_years=decision.later_years,
        period_start=decision.period_start,
        period_end=decision.period_end,
        purpose=application.title,
        conditions=decision.conditions,
        extra_conditions=decision.extra_conditions,
        bank_account=case_facts.bank_account(application),
        status=GrantStatus.ACCEPTED if on_decision else GrantStatus.OFFERED,
        offered_at=now,
        acceptance_due=None if on_decision else acceptance_due(decision, letter_date),
        status_changed_at=now,
    )
    terms = [
        PaymentTerm(
            grant=grant,
            number=term.number,
            amount=term.amount,
            season=term.season,
            earliest=term.earliest,
            due_on=plan.due_on(term.earliest, letter_date) if on_decision else None,
            status=TermStatus.PLANNED,
        )
        for term in plan.decision_plan(decision)
    ]
    PaymentTerm.objects.bulk_create(terms)
    record(
        user,
        grant,
        AuditAction.GRANT_OFFERED,
        to_state=grant.status,
        data={
            "decision": decision.pk,
            "amount": grant.amount,
            "acceptance_due": grant.acceptance_due.isoformat() if grant.acceptance_due else None,
            "terms": [{"number": t.number, "amount": t.amount, "season": t.season} for t in terms],
        },
        audience=Audience.APPLICANT,
    )
    return grant


def move_grant(user, grant: Grant, target: str, action: AuditAction, *, reason: str = "", **data) -> str:
    """Move a locked ``grant`` to ``target`` through the state machine and record it (in the caller's transaction)."""
    move = check_grant_transition(grant.status, target)
    before = grant.status
    grant.status = target
    grant.status_changed_at = timezone.now()
    grant.save(update_fields=["status", "status_changed_at"])
    record(
        user,
        grant,
        action,
        from_state=before,
        to_state=target,
        reason=reason,
        data=data or None,
        audience=Audience.APPLICANT,
    )
    return move
