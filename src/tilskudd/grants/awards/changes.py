"""Changes to a grant after its offer (issue #11, points 2 and 6): cancellation, a late acceptance let in, a new amount.

Each is one transaction by a caseworker of the grant's grantor: the grant row is locked, then the frame rows
(``frames.hold_granted``, under the allocation's row locks, so two changes at once cannot break a frame), the
grant moves through ``GRANT_TRANSITIONS``, its terms through ``TERM_TRANSITIONS``, and one audit event on the
grant's stream says what changed and what it did to the frame.

* :func:`cancel_grant` — OFFERED, LAPSED, ACCEPTED or IN_PAYMENT → CANCELLED; the unpaid terms are cancelled and
  the frame keeps only what was paid. A term ordered for payment (in a payment batch) blocks it.
* :func:`reopen_lapsed` — a lapsed offer may be accepted after all: LAPSED → OFFERED with a new deadline, its
  amount held in the frame again (FrameExceeded when the frame has no room left).
* :func:`change_amount` — raise or lower the grant within the frame (a reversal after a complaint); unpaid terms
  are planned again so that the terms add up exactly; never below what is paid or ordered.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework.access import require_case
from tilskudd.casework.models import Role
from tilskudd.core.formatting import format_nok, format_number
from tilskudd.core.refusals import Refusal
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import plan
from tilskudd.grants.awards.services import move_grant
from tilskudd.grants.models import Grant, PaymentTerm
from tilskudd.grants.states import GrantStatus, TermStatus, check_term_transition

#: The grant states a caseworker may cancel from (GRANT_TRANSITIONS' «cancel» moves).
CANCELLABLE = (GrantStatus.OFFERED, GrantStatus.LAPSED, GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT)
#: The grant states whose amount may be changed (it still holds money in the frame and has terms to re-plan).
CHANGEABLE = (GrantStatus.OFFERED, GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT)
#: Terms whose amount can still change (not paid, not in a payment batch).
OPEN_TERMS = (TermStatus.PLANNED, TermStatus.HELD)


class GrantChangeRefused(Refusal):
    """A change to a grant that is not allowed; nothing was changed."""

    status = 400


class NoSuchGrant(Refusal):
    status = 404

    def __init__(self):
        super().__init__("Tilskuddet finnes ikke.", "There is no such grant.")


def _locked_grant(user, grant_id) -> Grant:
    """The grant, locked for this transaction; NoSuchGrant outside the person's grantors, RoleMissing without
    the caseworker role there."""
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("application", "application__case", "application__call")
        .filter(pk=grant_id)
        .first()
    )
    require_case(user, getattr(grant.application, "case", None) if grant else None, NoSuchGrant(), Role.CASEWORKER)
    assert grant is not None  # require_case refused a missing grant's (absent) case
    return grant


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise GrantChangeRefused("Skriv en begrunnelse.", "Give a reason.")
    return reason


def _sum(terms, *statuses) -> int:
    return sum(term.amount for term in terms if term.status in statuses)


def _move_term(term: PaymentTerm, target: str) -> None:
    check_term_transition(term.status, target)
    term.status = target
    term.save(update_fields=["status"])


def cancel_grant(user, grant_id: int, reason: str) -> Grant:
    """Cancel the grant (*trekke tilbake*): the unpaid terms lapse and the frame keeps only what was paid."""
    reason = _reason(reason)
    with transaction.atomic():
        grant = _locked_grant(user, grant_id)
        if grant.status not in CANCELLABLE:
            raise GrantChangeRefused(
                f"Et tilskudd med status «{GrantStatus(grant.status).label}» kan ikke trekkes tilbake.",
                f"A grant with the status «{grant.status}» cannot be cancelled.",
            )
        terms = list(PaymentTerm.objects.select_for_update().filter(grant=grant).order_by("number"))
        ordered = [term for term in terms if term.status == TermStatus.ORDERED]
        if ordered:
            numbers = ", ".join(str(term.number) for term in ordered)
            raise GrantChangeRefused(
                f"Termin {numbers} er sendt til utbetaling. Ta den ut av utbetalingsbunten før tilskuddet trekkes "
                "tilbake. Ingenting er endret.",
                f"Term {numbers} has been ordered for payment. Take it out of the payment batch before the grant is "
                "cancelled. Nothing was changed.",
            )
        paid = _sum(terms, TermStatus.PAID)
        cancelled = [term for term in terms if term.status in OPEN_TERMS]
        for term in cancelled:
            _move_term(term, TermStatus.CANCELLED)
        held_before = _held(grant)
        frames.hold_granted(
            user,
            grant.application,
            grant.year,
            paid,
            f"Tilskuddet er trukket tilbake; rammen beholder det som er utbetalt ({format_number(paid)} kr).",
            f"The grant was cancelled; the frame keeps what was paid ({format_nok(paid, 'en')}).",
        )
        for year in _later_years_held(grant):
            frames.hold_granted(
                user,
                grant.application,
                year,
                0,
                f"Tilskuddet er trukket tilbake; tilsagnet for {year} er frigitt.",
                f"The grant was cancelled; the commitment for {year} is freed.",
            )
        move_grant(
            user,
            grant,
            GrantStatus.CANCELLED,
            AuditAction.GRANT_CANCELLED,
            reason=reason,
            amount=grant.amount,
            paid=paid,
            freed=max(held_before - paid, 0),
            terms_cancelled=[term.number for term in cancelled],
        )
    return grant


def _held(grant: Grant) -> int:
    """What the grant's application holds in the frame for the grant's year now."""
    line = grant.application.allocation_lines.filter(year=grant.year).first()
    return line.amount if line else 0


def _later_years_held(grant: Grant) -> list[int]:
    """The later years the grant's application still holds a commitment in (to free on cancellation)."""
    return list(
        grant.application.allocation_lines.filter(year__gt=grant.year, amount__gt=0)
        .order_by("year")
        .values_list("year", flat=True)
    )


def reopen_lapsed(user, grant_id: int, new_due: dt.date) -> Grant:
    """Let a lapsed offer be accepted after all: back to OFFERED until ``new_due``, its amount held in the frame again."""
    today = timezone.localdate()
    if not isinstance(new_due, dt.date) or new_due < today:
        raise GrantChangeRefused(
            "Den nye fristen for aksept kan ikke være før i dag.",
            "The new deadline for acceptance cannot be before today.",
        )
    with transaction.atomic():
        grant = _locked_grant(user, grant_id)
        if grant.status != GrantStatus.LAPSED:
            raise GrantChangeRefused(
                "Bare et tilbud som ikke ble akseptert innen fristen, kan åpnes igjen.",
                "Only an offer that was not accepted in time can be reopened.",
            )
        # FrameExceeded (a refusal) when the room it held has gone to others meanwhile; nothing is changed then.
        frames.hold_granted(
            user,
            grant.application,
            grant.year,
            grant.amount,
            f"Fristen for aksept er forlenget til {new_due:%d.%m.%Y}; tilskuddet holdes i rammen igjen.",
            f"The deadline for acceptance was extended to {new_due:%d %B %Y}; the grant is held in the frame again.",
        )
        for year, amount in sorted((int(y), int(a)) for y, a in (grant.later_years or {}).items()):
            frames.hold_granted(
                user,
                grant.application,
                year,
                amount,
                f"Fristen for aksept er forlenget; tilsagnet for {year} holdes igjen.",
                f"The deadline for acceptance was extended; the commitment for {year} is held again.",
            )
        before = grant.acceptance_due
        grant.acceptance_due = new_due
        grant.save(update_fields=["acceptance_due"])
        move_grant(
            user,
            grant,
            GrantStatus.OFFERED,
            AuditAction.GRANT_REOPENED,
            amount=grant.amount,
            acceptance_due=new_due.isoformat(),
            acceptance_due_before=before.isoformat() if before else None,
        )
    return grant


def change_amount(user, grant_id: int, new_amount: int, reason: str) -> Grant:
    """Set the grant to ``new_amount`` within the frame; the open terms are re-planned to add up exactly."""
    reason = _reason(reason)
    try:
        new_amount = int(new_amount)
    except (TypeError, ValueError):
        raise GrantChangeRefused(
            "Beløpet må være et helt kronebeløp.", "The amount must be a whole number of NOK."
        ) from None
    if new_amount < 1:
        raise GrantChangeRefused(
            "Beløpet må være minst 1 kr; et tilskudd som ikke skal gis, trekkes tilbake.",
            "The amount must be at least NOK 1; a grant that is not to be given is cancelled.",
        )
    with transaction.atomic():
        grant = _locked_grant(user, grant_id)
        if grant.status not in CHANGEABLE:
            raise GrantChangeRefused(
                f"Beløpet kan ikke endres for et tilskudd med status «{GrantStatus(grant.status).label}».",
                f"The amount cannot be changed for a grant with the status «{grant.status}».",
            )
        terms = list(PaymentTerm.objects.select_for_update().filter(grant=grant).order_by("number"))
        fixed = _sum(terms, TermStatus.PAID, TermStatus.ORDERED)
        if new_amount < fixed:
            raise GrantChangeRefused(
                f"Beløpet kan ikke bli lavere enn det som er utbetalt eller sendt til utbetaling "
                f"({format_number(fixed)} kr). Ingenting er endret.",
                f"The amount cannot be lower than what has been paid or ordered for payment "
                f"({format_nok(fixed, 'en')}). Nothing was changed.",
            )
        before = grant.amount
        if new_amount == before:
            raise GrantChangeRefused("Beløpet er det samme som før.", "The amount is the same as before.")
        held_before = _held(grant)
        frames.hold_granted(
            user,
            grant.application,
            grant.year,
            new_amount,
            f"Tilskuddet er endret fra {format_number(before)} kr til {format_number(new_amount)} kr: {reason}",
            f"The grant was changed from {format_nok(before, 'en')} to {format_nok(new_amount, 'en')}: {reason}",
        )
        replanned = _replan(grant, terms, new_amount - fixed)
        grant.amount = new_amount
        grant.save(update_fields=["amount"])
        record(
            user,
            grant,
            AuditAction.GRANT_AMOUNT_CHANGED,
            from_state=str(before),
            to_state=str(new_amount),
            reason=reason,
            data={
                "amount_before": before,
                "amount": new_amount,
                "frame_before": held_before,
                "frame_after": new_amount,
                "terms": replanned,
            },
            audience=Audience.APPLICANT,
        )
        if (
            grant.status == GrantStatus.IN_PAYMENT
            and new_amount == _sum(terms, TermStatus.PAID)
            and not any(t.status == TermStatus.ORDERED for t in terms)
        ):
            move_grant(user, grant, GrantStatus.PAID_OUT, AuditAction.GRANT_PAID_OUT, amount=new_amount)
    return grant


def _replan(grant: Grant, terms: list[PaymentTerm], remaining: int) -> list[dict]:
    """Spread ``remaining`` over the open terms (whole kroner, the odd kroner first); none left: they lapse;
    none open but money to pay: a new term, due now if the grant is accepted. The plan after, for the audit."""
    open_terms = [term for term in terms if term.status in OPEN_TERMS]
    if remaining == 0:
        for term in open_terms:
            _move_term(term, TermStatus.CANCELLED)
    elif open_terms:
        for term, part in zip(open_terms, plan.split(remaining, len(open_terms)), strict=True):
            term.amount = part
            term.save(update_fields=["amount"])
    else:
        accepted = grant.status in (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT)
        terms.append(
            PaymentTerm.objects.create(
                grant=grant,
                number=max((term.number for term in terms), default=0) + 1,
                amount=remaining,
                due_on=timezone.localdate() if accepted else None,
                status=TermStatus.PLANNED,
            )
        )
    return [{"number": t.number, "amount": t.amount, "status": t.status} for t in terms]
