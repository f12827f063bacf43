"""Acceptance of a grant (*aksept*, issue #11 point 2): the grantee answers the offer in the portal.

The grantee's signatory, or a delegate within a valid delegation covering the call (the same rule as signing
the application, ``applications.permissions.signing_capacity``), accepts or declines exactly the terms shown:
:func:`terms_document` is what is answered and :func:`terms_hash` its SHA-256, as an application's signature.
An answer to terms that changed since the page was shown is refused, as is an answer after the deadline (the
Europe/Oslo day after ``Grant.acceptance_due``) or to an offer that is no longer open. A retry of the same answer
returns the Acceptance already made.

Accepting sets each payment term's due day (``plan.due_on``: the day of acceptance, not before its season).
Declining cancels every term and frees the amount in the frame at once (``frames.hold_granted`` to 0, in the
same transaction). :func:`lapse_overdue` (the daily ``lapse_offers`` command) lapses every open offer past its
deadline and frees its amount; the caseworker sees it on the grant's timeline and is told by e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from tilskudd.applications.permissions import signing_capacity
from tilskudd.applications.services.content import content_hash
from tilskudd.audit.services import AuditAction, history
from tilskudd.casework import facts as case_facts
from tilskudd.core.formatting import format_date
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import Refusal, require
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import plan
from tilskudd.grants.awards.services import move_grant
from tilskudd.grants.awards.signed_requests import sign
from tilskudd.grants.models import Acceptance, AllocationLine, Grant
from tilskudd.grants.signals import grant_accepted
from tilskudd.grants.states import GrantStatus, TermStatus, check_term_transition
from tilskudd.orgs.models import Membership, Role
from tilskudd.orgs.permissions import membership

logger = logging.getLogger(__name__)


class AcceptanceRefused(Refusal):
    """The answer is not taken; ``reason_nb``/``reason_en`` say why. Nothing is changed."""


class TermsChanged(AcceptanceRefused):
    def __init__(self):
        super().__init__(
            "Vilkårene for tilskuddet er endret etter at du åpnet siden. Les dem på nytt før du svarer. "
            "Ingenting er endret.",
            "The terms of the grant changed after you opened the page. Read them again before you answer. "
            "Nothing was changed.",
        )


# --- what is answered -------------------------------------------------------------------


def _conditions(grant: Grant) -> list[dict[str, str]]:
    """The call's grant conditions the decision chose, in the letter's words (joint-only ones only when joint)."""
    definition = grant.application.call_version.parsed()
    by_id = {c.id: c for c in definition.grant_conditions}
    joint = case_facts.is_joint(grant.application)
    return [
        {"id": c, "rule": by_id[c].rule, "text_nb": by_id[c].text.nb, "text_en": by_id[c].text.en}
        for c in grant.conditions or []
        if c in by_id and (joint or not by_id[c].joint_only)
    ]


def terms_document(grant: Grant) -> dict[str, Any]:
    """Exactly what the grantee accepts: amount, period, purpose, conditions, payment plan, deadline, letter."""
    application = grant.application
    letter = grant.decision.letter
    return {
        "case_number": application.case_number or "",
        "organisation": {"name": application.organisation.name, "org_number": application.organisation.org_number},
        "year": grant.year,
        "amount": grant.amount,
        "later_years": {str(year): int(amount) for year, amount in sorted((grant.later_years or {}).items())},
        "period": {
            "start": grant.period_start.isoformat() if grant.period_start else None,
            "end": grant.period_end.isoformat() if grant.period_end else None,
        },
        "purpose": grant.purpose,
        "conditions": _conditions(grant),
        "extra_conditions": grant.extra_conditions,
        "payment_plan": [
            {
                "number": term.number,
                "amount": term.amount,
                "season": term.season,
                "earliest": term.earliest.isoformat() if term.earliest else None,
            }
            for term in grant.terms.order_by("number")
        ],
        "bank_account": grant.bank_account,
        "acceptance_due": grant.acceptance_due.isoformat() if grant.acceptance_due else None,
        "letter_sha256": letter.sha256 if letter is not None else None,
    }


def terms_hash(grant: Grant) -> str:
    """SHA-256 of the canonical JSON of :func:`terms_document` (as an application's signature)."""
    return content_hash(terms_document(grant))


# --- who may answer, and whether the offer is open ----------------------------------------


def can_answer(user, grant: Grant) -> Permission:
    """The organisation's confirmed signatory, or a delegate within a delegation covering the call."""
    application = grant.application
    if membership(user, application.organisation) is None:
        return denied(
            "Du er ikke med i organisasjonen som har fått tilskuddet.",
            "You are not in the organisation that was granted the money.",
        )
    if signing_capacity(user, application) is None:
        return denied(
            "Bare den som har signaturrett i organisasjonen, eller fullmakt fra denne for denne utlysningen, "
            "kan akseptere tilskuddet eller takke nei.",
            "Only the organisation's signatory, or someone with their delegated authority for this call, "
            "can accept the grant or decline it.",
        )
    return ALLOWED


def who_may_answer(grant: Grant) -> list[str]:
    """Names (and titles) of the organisation's confirmed signatories, for a member who may not answer."""
    members = (
        Membership.objects.filter(
            organisation=grant.application.organisation,
            role=Role.SIGNATORY,
            removed_at__isnull=True,
            confirmed_at__isnull=False,
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    found = []
    for member in members:
        name = member.user.get_full_name() or member.user.email
        found.append(f"{name} ({member.title})" if member.title else name)
    return found


def offer_open(grant: Grant, today: dt.date | None = None) -> Permission:
    """Whether the offer can be answered now: OFFERED and not past its deadline (Europe/Oslo)."""
    today = today or timezone.localdate()
    if grant.status == GrantStatus.LAPSED:
        return denied(
            "Fristen for å akseptere tilskuddet har gått ut. Ta kontakt med saksbehandleren hvis dere fortsatt "
            "ønsker tilskuddet; bare tilskuddsforvalteren kan åpne tilbudet igjen.",
            "The deadline for accepting the grant has passed. Contact the caseworker if you still want the "
            "grant; only the grantor can reopen the offer.",
        )
    if grant.status != GrantStatus.OFFERED:
        return denied(
            "Tilbudet om tilskudd er allerede besvart eller avsluttet.",
            "The offer of a grant has already been answered or has ended.",
        )
    if grant.acceptance_due is not None and today > grant.acceptance_due:
        return denied(
            f"Fristen for å akseptere tilskuddet var {format_date(grant.acceptance_due)}. Ta kontakt med "
            "saksbehandleren hvis dere fortsatt ønsker tilskuddet.",
            f"The deadline for accepting the grant was {format_date(grant.acceptance_due, 'en')}. Contact the "
            "caseworker if you still want the grant.",
        )
    return ALLOWED


# --- answering ----------------------------------------------------------------------------


def _answer(user, grant_id: int, given_hash: str, answer: str, reason: str = "") -> Acceptance:
    with transaction.atomic():
        grant = (
            Grant.objects.select_for_update(of=("self",))
            .select_related("application", "application__organisation", "application__call_version", "decision")
            .get(pk=grant_id)
        )
        require(can_answer(user, grant))
        existing = Acceptance.objects.filter(grant=grant).first()
        if existing is not None:
            if existing.answer == answer:
                return existing  # a double click or a retry: the answer already given
            raise AcceptanceRefused(
                f"Tilbudet er allerede besvart: {existing.get_answer_display().lower()}. Ingenting er endret.",
                "The offer has already been answered"
                + (" (accepted)" if existing.answer == Acceptance.Answer.ACCEPTED else " (declined)")
                + ". Nothing was changed.",
            )
        today = timezone.localdate()
        is_open = offer_open(grant, today)
        if not is_open:
            raise AcceptanceRefused(is_open.reason_nb, is_open.reason_en)
        if (given_hash or "").strip().lower() != terms_hash(grant):
            raise TermsChanged()
        signature = sign(user, grant, terms_document(grant))
        acceptance = Acceptance.objects.create(
            grant=grant,
            answer=answer,
            signed_by=user,
            signed_at=timezone.now(),
            **signature.fields(),
            reason=reason.strip(),
            # A caseworker reopened an offer that had lapsed (``changes.reopen_lapsed``): answered after the letter's deadline.
            late=history(grant).filter(action=AuditAction.GRANT_LAPSED).exists(),
        )
        data: dict[str, Any] = signature.audit()
        if answer == Acceptance.Answer.ACCEPTED:
            for term in grant.terms.select_for_update().order_by("number"):
                term.due_on = plan.due_on(term.earliest, today)
                term.save(update_fields=["due_on"])
            move_grant(user, grant, GrantStatus.ACCEPTED, AuditAction.GRANT_ACCEPTED, **data)
            grant_accepted.send(sender=Grant, grant=grant, actor=user)  # the reporting duties (tilskudd.reports)
        else:
            for term in grant.terms.select_for_update().order_by("number"):
                check_term_transition(term.status, TermStatus.CANCELLED)
                term.status = TermStatus.CANCELLED
                term.save(update_fields=["status"])
            data["amount_before"], data["amount_after"] = grant.amount, 0
            grant.amount = 0
            grant.save(update_fields=["amount"])
            move_grant(user, grant, GrantStatus.DECLINED, AuditAction.GRANT_DECLINED, reason=reason.strip(), **data)
            _free(
                user,
                grant,
                "Tilskuddsmottakeren takket nei til tilskuddet; beløpet er frigitt i rammen.",
                "The grantee declined the grant; the amount is freed in the frame.",
            )
    return acceptance


def accept(user, grant_id: int, content_hash: str) -> Acceptance:
    """Accept the grant and its conditions as shown (``content_hash`` = :func:`terms_hash` of the page)."""
    return _answer(user, grant_id, content_hash, Acceptance.Answer.ACCEPTED)


def decline(user, grant_id: int, content_hash: str, reason: str = "") -> Acceptance:
    """Decline the grant: every term cancelled and the amount freed in the frame, in one transaction."""
    return _answer(user, grant_id, content_hash, Acceptance.Answer.DECLINED, reason)


def _free(user, grant: Grant, reason_nb: str, reason_en: str) -> None:
    """What the grant holds in the frame to 0: the call's year and every later year's commitment."""
    application = grant.application
    frames.hold_granted(user, application, grant.year, 0, reason_nb, reason_en)
    later = (
        AllocationLine.objects.filter(application=application, year__gt=grant.year, amount__gt=0)
        .order_by("year")
        .values_list("year", flat=True)
    )
    for year in list(later):
        frames.hold_granted(user, application, year, 0, reason_nb, reason_en)


# --- offers past their deadline -----------------------------------------------------------


def lapse_overdue(today: dt.date | None = None) -> list[Grant]:
    """Every open offer whose deadline has passed (Europe/Oslo) moves to LAPSED and frees its amount.

    Each grant in a transaction of its own (the system as actor); idempotent: a lapsed grant is not touched
    again. The grantor's caseworker is told by e-mail after the commit.
    """
    today = today or timezone.localdate()
    lapsed: list[Grant] = []
    candidates = Grant.objects.filter(status=GrantStatus.OFFERED, acceptance_due__lt=today).order_by("pk")
    for grant_id in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            grant = (
                Grant.objects.select_for_update(of=("self",))
                .select_related("application", "application__call")
                .get(pk=grant_id)
            )
            if grant.status != GrantStatus.OFFERED or grant.acceptance_due is None or grant.acceptance_due >= today:
                continue
            move_grant(
                None,
                grant,
                GrantStatus.LAPSED,
                AuditAction.GRANT_LAPSED,
                acceptance_due=grant.acceptance_due.isoformat(),
                amount=grant.amount,
            )
            _free(
                None,
                grant,
                f"Tilbudet ble ikke akseptert innen fristen {format_date(grant.acceptance_due)}; beløpet er frigitt.",
                f"The offer was not accepted by the deadline {format_date(grant.acceptance_due, 'en')}; "
                "the amount is freed.",
            )
            transaction.on_commit(partial(_tell_caseworker, grant.pk))
            lapsed.append(grant)
    return lapsed


def _caseworker_address(grant: Grant) -> str:
    case = getattr(grant.application, "case", None)
    user = getattr(case, "caseworker", None) if case is not None else None
    if user is None and grant.decision.prepared_by_id:
        user = grant.decision.prepared_by
    return (getattr(user, "email", "") or "").strip()


def _tell_caseworker(grant_id: int) -> None:
    """A short e-mail to the caseworker of the case (who prepared the decision if none is assigned)."""
    grant = Grant.objects.select_related("application", "decision", "decision__prepared_by").get(pk=grant_id)
    address = _caseworker_address(grant)
    if not address:
        logger.warning("No caseworker to tell that grant %s lapsed", grant_id)
        return
    case_number = grant.application.case_number or ""
    due = format_date(grant.acceptance_due)
    body = (
        f"Tilbudet om tilskudd i sak {case_number} ({grant.application.organisation.name}) ble ikke akseptert "
        f"innen fristen {due}. Beløpet er frigitt i rammen. Tilbudet kan åpnes igjen fra sakens tilskuddsside.\n\n"
        f"The offer of a grant in case {case_number} was not accepted by the deadline "
        f"{format_date(grant.acceptance_due, 'en')}. The amount is freed in the frame.\n"
    )
    try:
        EmailMessage(
            f"Tilskudd ikke akseptert innen fristen – {case_number}", body, settings.DEFAULT_FROM_EMAIL, [address]
        ).send(fail_silently=False)
    except Exception:  # the lapse is committed and on the timeline; a mail server down must not undo or crash it
        logger.exception("Could not tell the caseworker that grant %s lapsed", grant_id)
