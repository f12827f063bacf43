"""Continuation of a multi-year grant into next year (*videreføring*, issue #12 point 7).

C0 up to 3 years, C1 up to 4 with yearly grants, C3 up to 3, C4 normally 4 with a yearly conditions check
(C4-R09): the call's ``multi_year`` section, and the decision's ``later_years`` commitments (*tilsagn*) held in
next year's frame. States in ``grants.awards.continuation_states``; each function is one transaction with
the grant locked and an audit event on the grant's stream.

* :func:`file_plan` — the grantee's signatory, or a delegate (``acceptance.can_answer``), confirms each of the
  grant's conditions and files next year's plan and budget (lines in whole NOK adding up to the total), signed
  with :func:`filing_hash` (the SHA-256 of :func:`filing_document`), as an acceptance. Only for a grant with a
  commitment for next year, accepted and not ended.
* :func:`propose` — a caseworker of the grantor sets next year's amount (the commitment is the default) within
  next year's frame (``frames.hold_granted``: FrameExceeded refuses and changes nothing).
* :func:`approve` — an approver who did not propose it (four eyes) approves: a continuation decision
  (``Decision.continues``, published at once) and next year's grant with its payment plan from the call are made
  (for the amount less last year's unused money carried into the year by consent, ``awards.carried``: the
  grantee has that already),
  offered to the grantee as any grant, with its continuation letter («Videreføring av tilskudd <year>»).
  :func:`return_proposal` sends it back to the caseworker and puts the commitment back in the frame.
* :func:`stop` — a caseworker records that the conditions no longer hold (C4-R09): every later commitment is
  released in its frame and the grantee gets a letter with the reason and the complaint right the call gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tilskudd.applications.models import Document
from tilskudd.applications.services.content import content_hash
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Role
from tilskudd.core.formatting import format_nok
from tilskudd.core.pdf import render_pdf
from tilskudd.core.refusals import Refusal, require
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import carried, plan
from tilskudd.grants.awards.acceptance import can_answer, terms_document
from tilskudd.grants.awards.continuation_states import ContinuationStatus, check_continuation_transition
from tilskudd.grants.awards.services import add_terms, grant_of
from tilskudd.grants.awards.signed_requests import sign
from tilskudd.grants.decisions import letters
from tilskudd.grants.models import AllocationLine, Continuation, Decision, Grant
from tilskudd.grants.states import DecisionKind, DecisionStatus, GrantStatus

#: A grant in one of these states may be continued (accepted and not ended, cancelled or claimed back).
LIVE = (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT, GrantStatus.PAID_OUT, GrantStatus.REPORTED)
MAX_TEXT = 10_000
MAX_LINES = 20


class ContinuationRefused(Refusal):
    """Not allowed now; nothing was changed. ``field``: the form field it is about (400), else a conflict (409)."""

    status = 409
    field = ""


class BadFiling(ContinuationRefused):
    status = 400

    def __init__(self, nb: str, en: str, field: str = ""):
        super().__init__(nb, en)
        self.field = field


class NoSuchGrant(Refusal):
    status = 404

    def __init__(self):
        super().__init__("Fant ikke tilskuddet.", "No such grant.")


# --- what the call and the grant say -----------------------------------------------------------


def multi_year(grant: Grant):
    """The call's ``multi_year`` section (C0-R06, C1-R10, C3-R06, C4-R09)."""
    return grant.application.call_version.parsed().multi_year


def next_year(grant: Grant) -> int | None:
    """The first year after the grant's own with a commitment (*tilsagn*) above 0, or None."""
    years = sorted(int(y) for y, amount in (grant.later_years or {}).items() if int(y) > grant.year and int(amount) > 0)
    return years[0] if years else None


def commitment(grant: Grant, year: int) -> int:
    return int((grant.later_years or {}).get(str(year), 0) or 0)


def current(grant: Grant) -> Continuation | None:
    """The continuation of the grant into its next year, if one was filed or the grant stopped."""
    year = next_year(grant)
    if year is None:
        return None
    return Continuation.objects.filter(grant=grant, year=year).first()


def conditions(grant: Grant) -> list[dict[str, str]]:
    """The grant's conditions the grantee confirms, in the letter's words (as accepted)."""
    return terms_document(grant)["conditions"]


def filing_document(grant: Grant, year: int, confirmed: list[str], plan_text: str, lines: list[dict]) -> dict:
    """What the grantee signs: which grant and year, each condition confirmed, the plan and the budget."""
    application = grant.application
    return {
        "what": "continuation",
        "grant": grant.pk,
        "case_number": application.case_number or "",
        "organisation": application.organisation.org_number,
        "year": year,
        "confirmed": [{"id": c["id"], "text_nb": c["text_nb"]} for c in conditions(grant) if c["id"] in set(confirmed)],
        "plan": plan_text,
        "budget": [{"text": line["text"], "amount": int(line["amount"])} for line in lines],
        "budget_total": sum(int(line["amount"]) for line in lines),
    }


def filing_hash(grant: Grant, year: int, confirmed: list[str], plan_text: str, lines: list[dict]) -> str:
    return content_hash(filing_document(grant, year, confirmed, plan_text, lines))


def _locked(grant_id: int) -> Grant:
    return (
        Grant.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation", "application__case", "application__call_version")
        .get(pk=grant_id)
    )


def can_file(grant: Grant) -> ContinuationRefused | None:
    """Why next year's plan cannot be filed now (None: it can)."""
    section = multi_year(grant)
    year = next_year(grant)
    if section is None or not section.allowed or year is None:
        return ContinuationRefused(
            "Tilskuddet har ikke tilsagn for et neste år, så det er ingen plan å sende.",
            "The grant has no commitment for a next year, so there is no plan to file.",
        )
    if grant.status not in LIVE:
        return ContinuationRefused(
            "Tilskuddet må være akseptert og ikke avsluttet før planen for neste år kan sendes.",
            "The grant must be accepted and not ended before next year's plan can be filed.",
        )
    if Continuation.objects.filter(grant=grant, year=year).exists():
        return ContinuationRefused(
            f"Planen for {year} er allerede sendt, eller tilskuddet er stanset. Ingenting er endret.",
            f"The plan for {year} has already been filed, or the grant was stopped. Nothing was changed.",
        )
    return None


# --- the grantee ---------------------------------------------------------------------------------


def clean_lines(rows: list[tuple[str, int | None]]) -> list[dict]:
    """Budget lines with a text and an amount in whole NOK (empty rows dropped), or BadFiling."""
    lines = []
    for text, amount in rows:
        text = (text or "").strip()
        if not text and amount is None:
            continue
        if not text or amount is None or amount < 0:
            raise BadFiling(
                "Hver budsjettlinje må ha en tekst og et beløp i hele kroner.",
                "Each budget line needs a text and an amount in whole kroner.",
                "budget",
            )
        lines.append({"text": text[:200], "amount": int(amount)})
    if not lines:
        raise BadFiling("Før opp minst én budsjettlinje.", "Give at least one budget line.", "budget")
    if len(lines) > MAX_LINES:
        raise BadFiling(f"Høyst {MAX_LINES} budsjettlinjer.", f"At most {MAX_LINES} budget lines.", "budget")
    return lines


def file_plan(
    user, grant_id: int, confirmed: list[str], plan_text: str, lines: list[dict], total: int | None
) -> Continuation:
    """The grantee confirms each condition and files next year's plan and budget, signed."""
    plan_text = (plan_text or "").strip()
    with transaction.atomic():
        grant = _locked(grant_id)
        require(can_answer(user, grant))
        refused = can_file(grant)
        if refused is not None:
            raise refused
        year = next_year(grant)
        assert year is not None
        wanted = [c["id"] for c in conditions(grant)]
        missing = [c for c in wanted if c not in set(confirmed)]
        if missing:
            raise BadFiling(
                "Bekreft hvert vilkår for tilskuddet. Kan dere ikke bekrefte et vilkår, ta kontakt med saksbehandleren.",
                "Confirm each condition of the grant. If you cannot confirm one, contact the caseworker.",
                "confirmed",
            )
        if not plan_text:
            raise BadFiling(f"Skriv planen for {year}.", f"Write the plan for {year}.", "plan")
        if len(plan_text) > MAX_TEXT:
            raise BadFiling(f"Planen kan være på høyst {MAX_TEXT} tegn.", f"At most {MAX_TEXT} characters.", "plan")
        budget_total = sum(line["amount"] for line in lines)
        if total is None or total != budget_total:
            raise BadFiling(
                f"Budsjettets sum er {format_nok(budget_total)}, men totalen er oppgitt som "
                f"{format_nok(total) if total is not None else '–'}. Rett linjene eller totalen.",
                f"The budget lines add up to {format_nok(budget_total, 'en')}, not the total given. "
                "Correct the lines or the total.",
                "budget_total",
            )
        signature = sign(user, grant, filing_document(grant, year, wanted, plan_text, lines))
        continuation = Continuation.objects.create(
            grant=grant,
            year=year,
            status=ContinuationStatus.FILED,
            confirmed=wanted,
            plan=plan_text,
            budget_total=budget_total,
            budget_lines=lines,
            filed_by=user,
            filed_at=timezone.now(),
            **signature.fields(),
        )
        record(
            user,
            grant,
            AuditAction.GRANT_CONTINUATION_FILED,
            to_state=continuation.status,
            data={
                "continuation": continuation.pk,
                "year": year,
                "budget_total": budget_total,
                **signature.audit(),
            },
            audience=Audience.APPLICANT,
        )
    return continuation


# --- the grantor ---------------------------------------------------------------------------------


def _staff_locked(user, continuation_id: int, role: str) -> tuple[Continuation, Grant]:
    """The continuation and its grant, locked; 404 outside the person's grantors, RoleMissing without ``role``."""
    found = Continuation.objects.select_related("grant__application__case").filter(pk=continuation_id).first()
    case = getattr(found.grant.application, "case", None) if found else None
    if found is None or case is None or not scope.can_see_case(user, case):
        raise NoSuchGrant()
    if not scope.can_see_case(user, case, role):
        raise RoleMissing(role)
    grant = _locked(found.grant_id)
    return Continuation.objects.select_for_update(of=("self",)).get(pk=continuation_id), grant


def _move(continuation: Continuation, target: str) -> str:
    try:
        return check_continuation_transition(continuation.status, target)
    except Exception as error:
        raise ContinuationRefused(
            f"Videreføringen er {ContinuationStatus(continuation.status).label.lower()}; det kan ikke gjøres nå. "
            "Ingenting er endret.",
            "The continuation cannot be moved that way now. Nothing was changed.",
        ) from error


def propose(user, continuation_id: int, amount: int | None) -> Continuation:
    """Next year's amount within next year's frame (held at once; FrameExceeded refuses and changes nothing)."""
    with transaction.atomic():
        continuation, grant = _staff_locked(user, continuation_id, Role.CASEWORKER)
        _move(continuation, ContinuationStatus.PROPOSED)
        if amount is None or amount <= 0:
            raise BadFiling(
                "Skriv beløpet for neste år i hele kroner (mer enn 0). Skal tilskuddet ikke videreføres, stans det.",
                "Enter next year's amount in whole kroner (above 0). If the grant is not to continue, stop it.",
                "amount",
            )
        frames.hold_granted(
            user,
            grant.application,
            continuation.year,
            amount,
            f"Videreføring av tilskuddet for {continuation.year}, foreslått av saksbehandler.",
            f"Continuation of the grant into {continuation.year}, proposed by the caseworker.",
        )
        before = continuation.status
        continuation.status = ContinuationStatus.PROPOSED
        continuation.amount = amount
        continuation.proposed_by = user
        continuation.proposed_at = timezone.now()
        continuation.reason = ""
        continuation.save(update_fields=["status", "amount", "proposed_by", "proposed_at", "reason"])
        record(
            user,
            grant,
            AuditAction.GRANT_CONTINUATION_PROPOSED,
            from_state=before,
            to_state=continuation.status,
            data={
                "continuation": continuation.pk,
                "year": continuation.year,
                "amount": amount,
                "commitment": commitment(grant, continuation.year),
            },
            audience=Audience.INTERNAL,
        )
    return continuation


def return_proposal(user, continuation_id: int, reason: str) -> Continuation:
    """The approver sends the proposal back; the frame holds the commitment again."""
    reason = (reason or "").strip()
    with transaction.atomic():
        continuation, grant = _staff_locked(user, continuation_id, Role.APPROVER)
        _move(continuation, ContinuationStatus.FILED)
        if not reason:
            raise BadFiling("Skriv hvorfor forslaget sendes tilbake.", "Write why it is returned.", "reason")
        frames.hold_granted(
            user,
            grant.application,
            continuation.year,
            commitment(grant, continuation.year),
            "Forslaget til videreføring ble sendt tilbake; tilsagnet gjelder igjen.",
            "The continuation proposal was returned; the commitment holds again.",
        )
        before = continuation.status
        continuation.status = ContinuationStatus.FILED
        continuation.reason = reason
        continuation.save(update_fields=["status", "reason"])
        record(
            user,
            grant,
            AuditAction.GRANT_CONTINUATION_PROPOSED,
            from_state=before,
            to_state=continuation.status,
            reason=reason,
            data={"continuation": continuation.pk, "returned": True},
            audience=Audience.INTERNAL,
        )
    return continuation


def approve(user, continuation_id: int) -> Continuation:
    """Four eyes: next year's decision and grant (offered, with its plan and its continuation letter)."""
    with transaction.atomic():
        continuation, grant = _staff_locked(user, continuation_id, Role.APPROVER)
        _move(continuation, ContinuationStatus.CONTINUED)
        if continuation.proposed_by_id == getattr(user, "pk", None):
            raise ContinuationRefused(
                "Du foreslo beløpet selv og kan ikke godkjenne det; det må en annen gjøre.",
                "You proposed the amount yourself and cannot approve it; someone else must.",
            )
        now = timezone.now()
        year, amount = continuation.year, int(continuation.amount or 0)
        later = {y: a for y, a in (grant.later_years or {}).items() if int(y) > year}
        decision = Decision.objects.create(
            application=grant.application,
            kind=DecisionKind.GRANT,
            status=DecisionStatus.PUBLISHED,
            amount=amount,
            later_years=later,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            reasons=f"Tilskuddet videreføres for {year} etter plan og budsjett sendt "
            f"{timezone.localtime(continuation.filed_at).date().strftime('%d.%m.%Y') if continuation.filed_at else ''}.",
            conditions=grant.conditions,
            extra_conditions=grant.extra_conditions,
            prepared_by=continuation.proposed_by or user,
            prepared_at=continuation.proposed_at or now,
            approved_by=user,
            approved_at=now,
            published_by=user,
            published_at=now,
            continues=grant,
        )
        new = grant_of(decision, year=year, purpose=grant.purpose, bank_account=grant.bank_account, now=now)
        # Last year's unused money carried into this year by consent is part of the amount but already with the
        # grantee: the terms pay the rest (issue #12, point 6).
        carried_in = min(amount, carried.carried_into(grant.application_id, year))
        definition = grant.application.call_version.parsed()
        terms = add_terms(new, plan.plan(definition, amount - carried_in, year))
        decision.letter = _store(decision, continuation_letter_html(decision, year), f"videreforing-{year}")
        decision.save(update_fields=["letter"])
        before = continuation.status
        continuation.status = ContinuationStatus.CONTINUED
        continuation.decided_by = user
        continuation.decided_at = now
        continuation.new_grant = new
        continuation.letter = decision.letter
        continuation.save(update_fields=["status", "decided_by", "decided_at", "new_grant", "letter"])
        data = {
            "continuation": continuation.pk,
            "year": year,
            "amount": amount,
            "new_grant": new.pk,
            "decision": decision.pk,
            "terms": [{"number": t.number, "amount": t.amount} for t in terms],
            "carried_over": carried_in,
        }
        record(
            user,
            grant,
            AuditAction.GRANT_CONTINUED,
            from_state=before,
            to_state=continuation.status,
            data=data,
            audience=Audience.APPLICANT,
        )
        record(user, new, AuditAction.GRANT_OFFERED, to_state=new.status, data=data, audience=Audience.APPLICANT)
    return continuation


def stop(user, grant_id: int, reason: str) -> Continuation:
    """The conditions no longer hold (C4-R09): later commitments released, the grantee told by letter."""
    reason = (reason or "").strip()
    found = Grant.objects.select_related("application__case").filter(pk=grant_id).first()
    case = getattr(found.application, "case", None) if found else None
    if found is None or case is None or not scope.can_see_case(user, case):
        raise NoSuchGrant()
    if not scope.can_see_case(user, case, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)
    with transaction.atomic():
        grant = _locked(grant_id)
        year = next_year(grant)
        if year is None or grant.status not in LIVE:
            raise ContinuationRefused(
                "Tilskuddet har ikke tilsagn for neste år som kan stanses.",
                "The grant has no commitment for next year to stop.",
            )
        if not reason:
            raise BadFiling(
                "Skriv hvilke vilkår som ikke lenger er oppfylt. Tilskuddsmottakeren leser begrunnelsen i brevet.",
                "Write which conditions no longer hold. The grantee reads the reason in the letter.",
                "reason",
            )
        if len(reason) > MAX_TEXT:
            raise BadFiling(f"Høyst {MAX_TEXT} tegn.", f"At most {MAX_TEXT} characters.", "reason")
        continuation = Continuation.objects.select_for_update().filter(grant=grant, year=year).first()
        before = ""
        if continuation is None:
            continuation = Continuation.objects.create(grant=grant, year=year, status=ContinuationStatus.STOPPED)
        else:
            _move(continuation, ContinuationStatus.STOPPED)
            before = continuation.status
        released = {}
        for later in sorted(int(y) for y in (grant.later_years or {}) if int(y) > grant.year):
            line = AllocationLine.objects.filter(application=grant.application, year=later).first()
            released[str(later)] = line.amount if line else 0
            frames.hold_granted(
                user,
                grant.application,
                later,
                0,
                f"Vilkårene for videre tilskudd er ikke oppfylt; tilsagnet for {later} er frigitt.",
                f"The conditions for continued funding are not met; the commitment for {later} is freed.",
            )
        now = timezone.now()
        continuation.status = ContinuationStatus.STOPPED
        continuation.reason = reason
        continuation.decided_by = user
        continuation.decided_at = now
        continuation.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        continuation.letter = _store(
            grant.decision, stop_letter_html(grant, continuation, user), f"stans-{year}", continuation.pk
        )
        continuation.save(update_fields=["letter"])
        record(
            user,
            grant,
            AuditAction.GRANT_STOPPED,
            from_state=before,
            to_state=continuation.status,
            reason=reason,
            data={"continuation": continuation.pk, "year": year, "released": released},
            audience=Audience.APPLICANT,
        )
    return continuation


# --- letters ---------------------------------------------------------------------------------------


def continuation_letter_html(decision: Decision, year: int) -> str:
    """The grant letter's facts for next year's decision, titled «Videreføring av tilskudd <year>»."""
    facts = letters.letter_facts(decision)
    facts["title"] = f"Videreføring av tilskudd {year} – vedtak om tilskudd"
    facts["continuation_year"] = facts["call_year"] = year
    facts["partial"] = False  # measured against the commitment, not the whole period applied for
    carried_in = min(decision.amount, carried.carried_into(decision.application_id, year))
    if carried_in:  # the grantee holds that part already: the terms pay the rest (see approve)
        definition = decision.application.call_version.parsed()
        payment = letters.payment_facts(definition, decision.amount - carried_in, facts["grantor_name"], year)
        payment["text"] = (
            f"{format_nok(carried_in)} av tilskuddet er ubrukte midler fra {year - 1} som dere har fått lov til å "
            f"bruke i {year}. Dem har dere allerede, så vi betaler ut resten, "
            f"{format_nok(decision.amount - carried_in)}. {payment['text']}"
        ).strip()
        facts["payment"] = payment
    return render_to_string("grants/letters/grant.html", {"f": facts, "preview": False})


def stop_letter_html(grant: Grant, continuation: Continuation, user) -> str:
    """The letter stopping the grant: the grant letter's facts, the reason, the commitments ended, the complaint
    right the call gives for a grant decision."""
    facts = letters.letter_facts(grant.decision, today=timezone.localdate())
    section = multi_year(grant)
    facts.update(
        {
            "title": f"Vedtak om stans av tilskudd fra {continuation.year}",
            "reasons": continuation.reason,
            "stop_year": continuation.year,
            "stopped_commitments": [
                {"year": int(y), "amount_text": format_nok(int(a))}
                for y, a in sorted((grant.later_years or {}).items())
                if int(y) >= continuation.year and int(a) > 0
            ],
            "yearly_check": section.note.nb if section is not None and section.note else "",
            "caseworker": letters._person(user, "saksbehandler", facts["grantor_org_number"]),
            "approver": None,
        }
    )
    return render_to_string("grants/awards/continuation_stop_letter.html", {"f": facts, "preview": False})


def _store(decision: Decision, html: str, name: str, salt: Any = "") -> Document:
    """The letter as a PDF Document of the application (kind grant letter, told apart by its name)."""
    pdf = render_pdf(html, base_url=letters.FONT_DIR.as_uri() + "/", language="nb")
    case = (decision.application.case_number or str(decision.application_id)).replace("/", "-")
    document = Document(
        application=decision.application,
        kind=Document.Kind.GRANT_LETTER,
        sha256=hashlib.sha256(pdf).hexdigest(),
        submission_hash=f"{name}-{decision.pk}-{salt}",
    )
    document.file.save(f"{name}-{case}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


# --- what the pages show -----------------------------------------------------------------------------


def for_grantee(user, grant: Grant) -> dict[str, Any]:
    year = next_year(grant)
    refused = can_file(grant)
    section = multi_year(grant)
    return {
        "year": year,
        "commitment": commitment(grant, year) if year else 0,
        "continuation": current(grant),
        "conditions": conditions(grant),
        "may_file": bool(can_answer(user, grant)) and refused is None,
        "permission": can_answer(user, grant),
        "refused": refused,
        "multi_year": section,
    }


def for_caseworker(user, grant: Grant) -> dict[str, Any]:
    year = next_year(grant)
    case = grant.application.case
    continuation = current(grant)
    usage = None
    if year is not None:
        usage = frames.usage(grant.application.call, case.grantor_org_number, [grant.application_id])
    return {
        "year": year,
        "commitment": commitment(grant, year) if year else 0,
        "continuation": continuation,
        "usage_rows": [r for r in (usage.rows if usage is not None else []) if getattr(r, "year", None) == year],
        "is_caseworker": scope.can_see_case(user, case, Role.CASEWORKER),
        "is_approver": scope.can_see_case(user, case, Role.APPROVER),
        "multi_year": multi_year(grant),
    }
