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


def grant_of(
    decision: Decision, *, year: int, purpose: str, bank_account: str, now: dt.datetime, on_decision: bool = False
) -> Grant:
    """The grant a published grant decision makes, for ``year``: its amount, later years' commitments, period and
    conditions are the decision's. Offered, with the last day to accept from the letter's date; accepted by the
    decision itself where the call pays on the decision (``on_decision``)."""
    letter_date = timezone.localtime(now).date()
    return Grant.objects.create(
        decision=decision,
        application=decision.application,
        year=year,
        amount=decision.amount,
        later_years=decision.later_years,
        period_start=decision.period_start,
        period_end=decision.period_end,
        purpose=purpose,
        conditions=decision.conditions,
        extra_conditions=decision.extra_conditions,
        bank_account=bank_account,
        status=GrantStatus.ACCEPTED if on_decision else GrantStatus.OFFERED,
        offered_at=now,
        acceptance_due=None if on_decision else acceptance_due(decision, letter_date),
        status_changed_at=now,
    )


def add_terms(grant: Grant, planned: list[plan.PlannedTerm], *, due_from: dt.date | None = None) -> list[PaymentTerm]:
    """Store the ``planned`` payment terms of a new grant, each due from ``due_from`` (the letter's date, where
    the call pays on the decision) or not yet due."""
    terms = [
        PaymentTerm(
            grant=grant,
            number=term.number,
            amount=term.amount,
            season=term.season,
            earliest=term.earliest,
            due_on=plan.due_on(term.earliest, due_from) if due_from is not None else None,
            status=TermStatus.PLANNED,
        )
        for term in planned
    ]
    PaymentTerm.objects.bulk_create(terms)
    return terms


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
    grant = grant_of(
        decision,
        year=definition.year,
        purpose=application.title,
        bank_account=case_facts.bank_account(application),
        now=now,
        on_decision=on_decision,
    )
    terms = add_terms(grant, plan.decision_plan(decision), due_from=letter_date if on_decision else None)
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
