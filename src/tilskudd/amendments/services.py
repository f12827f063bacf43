"""Carry-over and change requests (*overføring av ubrukte midler* og *endret bruk*, issue #12 point 6).

Each public function is one transaction with the grant row locked and an audit event on the grant's stream
(``Audience.APPLICANT``: the grantee reads its history; the timeline shows it):

* :func:`request_carry_over` — the signatory or a delegate (``grants.awards.acceptance.can_answer``) asks to use
  unused funds next year (C0-R26, C1-R12), with the amount and why. Only where the call's ``carry_over.allowed``
  and for a multi-year project (both calls that allow it say so); otherwise refused in the call's own words.
* :func:`request_change_of_use` — the same people ask for written consent before changing what the grant is used
  for (C2-R12), with what changes and why.
* :func:`withdraw` — the grantee takes back a request not yet answered.
* :func:`consent` / :func:`refuse` — a caseworker of the grantor (not the person who asked) answers with a reason;
  the letter (PDF, bokmål) is stored on the request. Consent changes the grant: a carry-over raises next year's
  commitment (``Grant.later_years``) and next year's allocation line (``frames.hold_granted``, within next year's
  frame: FrameExceeded otherwise, and nothing changes); a change of use is written into the grant's conditions
  («andre vilkår») that the grant page shows.

One caseworker decides (no second approver): the seeds ask for consent, not for four eyes (docs/decisions.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tilskudd.amendments.models import AmendmentRequest
from tilskudd.amendments.states import AmendmentKind, AmendmentStatus, check_amendment_transition
from tilskudd.applications.receipts import FONT_DIR
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role
from tilskudd.core.files import deleted_on_failure
from tilskudd.core.formatting import format_date, format_nok
from tilskudd.core.pdf import render_pdf
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import Refusal, require
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards.acceptance import can_answer
from tilskudd.grants.awards.signed_requests import sign
from tilskudd.grants.decisions import letters
from tilskudd.grants.models import AllocationLine, Grant
from tilskudd.grants.states import GrantStatus

#: The grant states in which the grantee may still ask: accepted and not yet reported on, closed or ended.
OPEN = (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT, GrantStatus.PAID_OUT)
MAX_TEXT = 3000
LETTER_TITLES = {
    (AmendmentKind.CARRY_OVER, AmendmentStatus.CONSENTED): "Vedtak om overføring av ubrukte midler",
    (AmendmentKind.CARRY_OVER, AmendmentStatus.REFUSED): "Avslag på søknad om overføring av ubrukte midler",
    (AmendmentKind.CHANGE_OF_USE, AmendmentStatus.CONSENTED): "Samtykke til endret bruk av tilskuddet",
    (AmendmentKind.CHANGE_OF_USE, AmendmentStatus.REFUSED): "Avslag på søknad om endret bruk av tilskuddet",
}


class AmendmentRefused(Refusal):
    """The request or its answer is not taken; nothing is changed. ``field``: the form field it is about."""

    status = 409
    field = ""


class AmendmentInvalid(AmendmentRefused):
    status = 400

    def __init__(self, field: str, reason_nb: str, reason_en: str):
        super().__init__(reason_nb, reason_en)
        self.field = field


class NoSuchAmendment(Refusal):
    status = 404

    def __init__(self):
        super().__init__("Fant ikke endringen.", "No such change request.")


# --- what the call allows --------------------------------------------------------------------


def _definition(grant: Grant):
    return grant.application.call_version.parsed()


def is_multi_year(grant: Grant) -> bool:
    """A multi-year project: commitments for later years, or a period running past the grant's year."""
    return bool(grant.later_years) or bool(grant.period_end and grant.period_end.year > grant.year)


def carry_over_rule(grant: Grant) -> dict[str, Any]:
    """The call's carry-over rule as the page shows it: allowed or not, its rule id and its words (nb, en)."""
    definition = _definition(grant)
    carry = definition.carry_over
    rule = carry.rule if carry else ""
    if carry is not None and carry.allowed:
        return {"allowed": True, "rule": rule, "words": [(c.nb, c.en) for c in carry.conditions]}
    words = [(r.text.nb.strip(), r.text.en.strip()) for r in definition.readings if rule and r.rule == rule]
    if not words and definition.repayment is not None:
        words = [(definition.repayment.text.nb.strip(), definition.repayment.text.en.strip())]
    return {"allowed": False, "rule": rule, "words": words}


def may_carry_over(grant: Grant) -> Permission:
    """Whether this grant's unused funds may be asked carried into next year, in the call's words if not."""
    rule = carry_over_rule(grant)
    if not rule["allowed"]:
        words_nb = " ".join(nb for nb, _ in rule["words"])
        words_en = " ".join(en for _, en in rule["words"])
        return denied(
            ("Utlysningen åpner ikke for å overføre ubrukte midler til neste år. " + words_nb).strip(),
            ("The call does not allow unused funds to be carried into next year. " + words_en).strip(),
        )
    if not is_multi_year(grant):
        return denied(
            "Bare flerårige prosjekter kan be om å overføre ubrukte midler til neste år, og dette tilskuddet "
            f"gjelder bare {grant.year}.",
            f"Only multi-year projects may ask to carry unused funds into next year, and this grant is for "
            f"{grant.year} only.",
        )
    return ALLOWED


def may_ask(user, grant: Grant) -> Permission:
    """The signatory or a delegate, while the grant is accepted and not yet reported on or ended."""
    permission = can_answer(user, grant)
    if not permission:
        return denied(
            "Bare den som har signaturrett i organisasjonen, eller fullmakt fra denne for denne utlysningen, "
            "kan be om endringer i tilskuddet.",
            "Only the organisation's signatory, or someone with their delegated authority for this call, can ask "
            "for changes to the grant.",
        )
    if grant.status not in OPEN:
        return denied(
            "Dere kan bare be om endringer etter at tilskuddet er akseptert, og før det er rapportert på eller "
            "avsluttet.",
            "You can ask for changes only after the grant is accepted, and before it is reported on or ended.",
        )
    return ALLOWED


# --- what is signed --------------------------------------------------------------------------


def request_document(
    grant: Grant, kind: str, *, amount: int = 0, to_year: int | None = None, change: str = "", reason: str = ""
) -> dict[str, Any]:
    """What the grantee signs: which grant (case, organisation), the kind, and exactly what is asked and why."""
    application = grant.application
    return {
        "what": "grant_amendment",
        "grant": grant.pk,
        "case_number": application.case_number or "",
        "organisation": application.organisation.org_number,
        "kind": str(kind),
        "amount": int(amount),
        "to_year": to_year,
        "change": change,
        "reason": reason,
    }


def _text(value: str, field: str, what_nb: str, what_en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise AmendmentInvalid(field, f"Skriv {what_nb}.", f"Write {what_en}.")
    if len(value) > MAX_TEXT:
        raise AmendmentInvalid(
            field, f"Teksten kan være på høyst {MAX_TEXT} tegn.", f"The text can be at most {MAX_TEXT} characters."
        )
    return value


def _locked(grant_id: int) -> Grant:
    return (
        Grant.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation", "application__case", "application__call")
        .get(pk=grant_id)
    )


def _create(user, grant: Grant, kind: str, **asked: Any) -> AmendmentRequest:
    if AmendmentRequest.objects.filter(grant=grant, kind=kind, status=AmendmentStatus.REQUESTED).exists():
        raise AmendmentRefused(
            "Dere har allerede en slik endring til behandling. Vent på svar, eller trekk den, før dere ber om en ny.",
            "You already have such a change waiting. Wait for the answer, or withdraw it, before asking again.",
        )
    signature = sign(user, grant, request_document(grant, kind, **asked))  # may_ask allowed it
    amendment = AmendmentRequest.objects.create(
        grant=grant,
        kind=kind,
        requested_by=user,
        requested_at=timezone.now(),
        **signature.fields(),
        **asked,
    )
    record(
        user,
        grant,
        AuditAction.AMENDMENT_REQUESTED,
        to_state=amendment.status,
        reason=asked.get("reason", ""),
        data={
            "amendment": amendment.pk,
            "kind": kind,
            "amount": amendment.amount,
            "to_year": amendment.to_year,
            **signature.audit(),
        },
        audience=Audience.APPLICANT,
    )
    return amendment


# --- the grantee's requests ------------------------------------------------------------------


def request_carry_over(user, grant_id: int, amount: int | None, reason: str) -> AmendmentRequest:
    """Ask to use ``amount`` of unused funds next year (the grant's year + 1), signed."""
    with transaction.atomic():
        grant = _locked(grant_id)
        require(may_ask(user, grant))
        require(may_carry_over(grant))
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise AmendmentInvalid(
                "amount", "Skriv beløpet i hele kroner, over 0.", "Write the amount in whole kroner, above 0."
            )
        if amount > grant.amount:
            raise AmendmentInvalid(
                "amount",
                f"Beløpet kan ikke være mer enn tilskuddet for {grant.year} ({format_nok(grant.amount)}).",
                f"The amount cannot be more than the grant for {grant.year} ({format_nok(grant.amount, 'en')}).",
            )
        reason = _text(
            reason,
            "reason",
            "hvorfor midlene ikke ble brukt, og hva de skal brukes til",
            "why the funds were not used and what they will be used for",
        )
        return _create(user, grant, AmendmentKind.CARRY_OVER, amount=amount, to_year=grant.year + 1, reason=reason)


def request_change_of_use(user, grant_id: int, change: str, reason: str) -> AmendmentRequest:
    """Ask for written consent before changing what the grant is used for (C2-R12), signed."""
    with transaction.atomic():
        grant = _locked(grant_id)
        require(may_ask(user, grant))
        change = _text(change, "change", "hva dere vil endre", "what you want to change")
        reason = _text(reason, "reason", "hvorfor", "why")
        return _create(user, grant, AmendmentKind.CHANGE_OF_USE, change=change, reason=reason)


def withdraw(user, grant_id: int, amendment_id: int) -> AmendmentRequest:
    """Take back a request not yet answered (the signatory or a delegate)."""
    with transaction.atomic():
        grant = _locked(grant_id)
        require(can_answer(user, grant))
        amendment = AmendmentRequest.objects.select_for_update().filter(pk=amendment_id, grant=grant).first()
        if amendment is None:
            raise NoSuchAmendment()
        _move(amendment, AmendmentStatus.WITHDRAWN)
        amendment.save(update_fields=["status"])
        record(
            user,
            grant,
            AuditAction.AMENDMENT_WITHDRAWN,
            from_state=AmendmentStatus.REQUESTED,
            to_state=amendment.status,
            data={"amendment": amendment.pk, "kind": amendment.kind},
            audience=Audience.APPLICANT,
        )
    return amendment


# --- the caseworker's answer -----------------------------------------------------------------


def _move(amendment: AmendmentRequest, target: str) -> None:
    if amendment.status != AmendmentStatus.REQUESTED:
        raise AmendmentRefused(
            f"Endringen er allerede behandlet ({AmendmentStatus(amendment.status).label.lower()}). Ingenting er endret.",
            "The change request has already been handled. Nothing was changed.",
        )
    check_amendment_transition(amendment.status, target)
    amendment.status = target


def visible_amendment(user, amendment_id: int, *roles: str) -> AmendmentRequest:
    """The request if ``user`` works for its grantor (else 404); RoleMissing without one of ``roles``."""
    found = (
        AmendmentRequest.objects.select_related(
            "grant",
            "grant__application",
            "grant__application__case",
            "grant__application__organisation",
            "requested_by",
            "decided_by",
        )
        .filter(pk=amendment_id)
        .first()
    )
    case = getattr(found.grant.application, "case", None) if found else None
    if found is None or case is None or not scope.can_see_case(user, case):
        raise NoSuchAmendment()
    if roles and not scope.can_see_case(user, case, *roles):
        raise RoleMissing(*roles)
    return found


def _answer(user, amendment_id: int, target: str, reason: str) -> tuple[AmendmentRequest, Grant]:
    visible_amendment(user, amendment_id, Role.CASEWORKER)
    found = AmendmentRequest.objects.get(pk=amendment_id)
    grant = _locked(found.grant_id)
    amendment = AmendmentRequest.objects.select_for_update(of=("self",)).get(pk=amendment_id)
    if amendment.requested_by_id == getattr(user, "pk", None):
        raise AmendmentRefused(
            "Du ba selv om endringen og kan ikke svare på den; det må en annen gjøre.",
            "You asked for the change yourself and cannot answer it; someone else must.",
        )
    reason = _text(
        reason,
        "answer_reason",
        "begrunnelsen for svaret (den står i brevet)",
        "the reason for the answer (it is in the letter)",
    )
    _move(amendment, target)
    amendment.decided_by = user
    amendment.decided_at = timezone.now()
    amendment.answer_reason = reason
    return amendment, grant


def _carry(user, amendment: AmendmentRequest, grant: Grant) -> dict[str, Any]:
    """Next year holds the carried amount: the grant's commitment and next year's allocation line (in its frame)."""
    year = int(amendment.to_year or grant.year + 1)
    application = grant.application
    line = AllocationLine.objects.filter(application=application, year=year).values_list("amount", flat=True).first()
    before = int(line or 0)
    frames.hold_granted(
        user,
        application,
        year,
        before + amendment.amount,
        f"Ubrukte midler fra {grant.year} overført til {year} ({format_nok(amendment.amount)}, endring {amendment.pk}).",
        f"Unused funds from {grant.year} carried into {year} ({format_nok(amendment.amount, 'en')}, change {amendment.pk}).",
    )
    later = {str(k): int(v) for k, v in (grant.later_years or {}).items()}
    later[str(year)] = later.get(str(year), 0) + amendment.amount
    grant.later_years = dict(sorted(later.items()))
    grant.save(update_fields=["later_years"])
    return {"year": year, "line_before": before, "line_after": before + amendment.amount}


def _change_use(amendment: AmendmentRequest, grant: Grant) -> dict[str, Any]:
    """The consented change written into the grant's conditions («andre vilkår»), dated."""
    day = format_date(timezone.localdate())
    line = f"Endret bruk med samtykke {day}: {amendment.change}"
    before = grant.extra_conditions or ""
    grant.extra_conditions = f"{before}\n\n{line}".strip() if before else line
    grant.save(update_fields=["extra_conditions"])
    return {"extra_conditions_before": before}


def consent(user, amendment_id: int, reason: str) -> AmendmentRequest:
    """Consent (a caseworker of the grantor): the grant changes, the letter is stored, the grantee sees both."""
    with transaction.atomic():
        amendment, grant = _answer(user, amendment_id, AmendmentStatus.CONSENTED, reason)
        if grant.status not in OPEN:
            raise AmendmentRefused(
                f"Tilskuddet er «{GrantStatus(grant.status).label.lower()}» og kan ikke endres nå. Avslå endringen.",
                "The grant can no longer be changed. Refuse the request.",
            )
        if amendment.kind == AmendmentKind.CARRY_OVER:
            require(may_carry_over(grant))
            changed = _carry(user, amendment, grant)
        else:
            changed = _change_use(amendment, grant)
        return _finish(user, amendment, grant, AuditAction.AMENDMENT_CONSENTED, changed)


def refuse(user, amendment_id: int, reason: str) -> AmendmentRequest:
    """Refuse with a reason (a caseworker of the grantor); the grant stays as it is; the letter is stored."""
    with transaction.atomic():
        amendment, grant = _answer(user, amendment_id, AmendmentStatus.REFUSED, reason)
        return _finish(user, amendment, grant, AuditAction.AMENDMENT_REFUSED, {})


def _finish(user, amendment: AmendmentRequest, grant: Grant, action: AuditAction, changed: dict) -> AmendmentRequest:
    pdf = letter_pdf(amendment)
    amendment.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    name = f"endring-{amendment.pk}-{(grant.application.case_number or str(grant.pk)).replace('/', '-')}.pdf"
    amendment.letter.save(name, ContentFile(pdf), save=False)
    with deleted_on_failure(amendment.letter):
        amendment.save(update_fields=["status", "decided_by", "decided_at", "answer_reason", "letter", "letter_sha256"])
        record(
            user,
            grant,
            action,
            from_state=AmendmentStatus.REQUESTED,
            to_state=amendment.status,
            reason=amendment.answer_reason,
            data={
                "amendment": amendment.pk,
                "kind": amendment.kind,
                "amount": amendment.amount,
                "letter_sha256": amendment.letter_sha256,
                **changed,
            },
            audience=Audience.APPLICANT,
        )
    return amendment


# --- the letter ------------------------------------------------------------------------------


def letter_facts(amendment: AmendmentRequest) -> dict[str, Any]:
    """What the answer's letter states (bokmål): the grant letter's parties, contact and complaint right
    (``letters.letter_facts`` of the grant decision: the call's right for the allocation, see docs/decisions.md),
    what was asked, the answer, the reason, and who decided."""
    grant = amendment.grant
    facts = letters.letter_facts(grant.decision, today=timezone.localdate())
    grantor = facts["grantor_org_number"]
    consented = amendment.status == AmendmentStatus.CONSENTED
    carry = amendment.kind == AmendmentKind.CARRY_OVER
    facts.update(
        {
            "title": LETTER_TITLES[(AmendmentKind(amendment.kind), AmendmentStatus(amendment.status))],
            "caseworker": letters._person(amendment.decided_by, "saksbehandler", grantor),
            "consented": consented,
            "carry_over": carry,
            "amendment": amendment,
            "year": grant.year,
            "amount_text": format_nok(amendment.amount),
            "grant_amount_text": format_nok(grant.amount),
            "requested_on": format_date(timezone.localtime(amendment.requested_at).date()),
            "requested_by": amendment.requested_by.get_full_name() or amendment.requested_by.email,
        }
    )
    return facts


def letter_html(amendment: AmendmentRequest) -> str:
    return render_to_string("amendments/letter.html", {"f": letter_facts(amendment)})


def letter_pdf(amendment: AmendmentRequest) -> bytes:
    """The letter as a tagged PDF, in bokmål (the legal document)."""
    return render_pdf(letter_html(amendment), base_url=FONT_DIR.as_uri() + "/", language="nb")


# --- what the pages show ---------------------------------------------------------------------


def carried_over(grant: Grant, year: int) -> int:
    """What consented carry-overs add to ``year`` (for next year's budget and the accounts)."""
    return sum(
        AmendmentRequest.objects.filter(
            grant=grant, kind=AmendmentKind.CARRY_OVER, status=AmendmentStatus.CONSENTED, to_year=year
        ).values_list("amount", flat=True)
    )
