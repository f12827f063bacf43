"""Decision letters (*tilskuddsbrev*, *avslag*, *avvisning*) as PDFs, from the call's rules (X-R05).

:func:`letter_facts` gathers everything a letter states as plain data — the
tests check it field by field for every call — and :func:`letter_pdf` renders
it with WeasyPrint from ``grants/letters/<kind>.html`` (fonts as the receipt,
``applications/receipts.py``). The letter is in bokmål: it is the legal
document. :func:`store_letter` stores it once as the application's
``Document`` of the letter's kind, with its SHA-256.

What a grant letter states (X-R05): amount (and whether partial, with the
amount applied), period, purpose (the call's purpose and the project title),
conditions (the chosen ``grant_conditions`` and extra conditions), payment
terms (``payment``; C2-R10 two terms above NOK 30 000), reporting duties
with their deadlines (``reporting.duties`` for the application's areas; C2-R11
auditor from NOK 100 000), complaint rights or their absence with the legal
reference (``complaints``; C2-R13 body by the grantor's kind), repayment and
carry-over, commitments for later years subject to appropriation, and how to
accept where payment follows acceptance. Refusal and rejection letters state
the reasons and the complaint right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from tilskudd.applications.models import Document
from tilskudd.applications.receipts import FONT_DIR
from tilskudd.casework import facts as case_facts
from tilskudd.core.formatting import format_date, format_nok
from tilskudd.core.pdf import render_pdf
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DecisionKind
from tilskudd.rules.schema import CallDefinition, ComplaintRight, GrantorKind, PaymentTrigger

TITLE = {
    DecisionKind.GRANT: "Tilskuddsbrev – vedtak om tilskudd",
    DecisionKind.REFUSAL: "Vedtak om avslag på søknad om tilskudd",
    DecisionKind.REJECTION: "Vedtak om avvisning av søknad om tilskudd",
}
#: The kind of ``Document`` each decision's letter is stored as.
LETTER_KIND = {
    DecisionKind.GRANT: Document.Kind.GRANT_LETTER,
    DecisionKind.REFUSAL: Document.Kind.REFUSAL_LETTER,
    DecisionKind.REJECTION: Document.Kind.REJECTION_LETTER,
}
FILE_PREFIX = {DecisionKind.GRANT: "tilskuddsbrev", DecisionKind.REFUSAL: "avslag", DecisionKind.REJECTION: "avvisning"}
#: The call file's complaint key for each decision kind.
COMPLAINT_KEY = {DecisionKind.GRANT: "allocation", DecisionKind.REFUSAL: "refusal", DecisionKind.REJECTION: "rejection"}
SEASON_NB = {"spring": "vår", "autumn": "høst"}
NUMBER_NB = {1: "én", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks"}
REPORT_KIND_NB = {
    "status_report": "Statusrapport",
    "grant_report": "Tilskuddsrapport",
    "annual_report": "Årsrapport",
    "final_report": "Sluttrapport",
    "individual_report": "Individrapportering",
    "accounts": "Regnskap",
}


def _weeks(n: int) -> str:
    return f"{NUMBER_NB.get(n, str(n))} uke" if n == 1 else f"{NUMBER_NB.get(n, str(n))} uker"


def grantor_of_decision(decision: Decision, definition: CallDefinition) -> dict[str, str]:
    """The grantor that decides: name, org number and kind (directorate, municipality …)."""
    case = getattr(decision.application, "case", None)
    number = case.grantor_org_number if case else definition.grantor.org_number
    if definition.local_grantors:
        for grantor in definition.local_grantors.municipalities:
            if grantor.org_number == number:
                return {"name": grantor.name.nb, "org_number": number, "kind": grantor.kind.value}
    return {
        "name": (case.grantor_name if case and case.grantor_name else definition.grantor.name.nb),
        "org_number": number,
        "kind": definition.grantor.kind.value,
    }


def complaint_facts(
    definition: CallDefinition, kind: DecisionKind, grantor_kind: str, grantor_name: str
) -> dict[str, Any]:
    """The complaint right for a decision of ``kind`` by a grantor of ``grantor_kind``, and the letter's text."""
    right: ComplaintRight = getattr(definition.complaints, COMPLAINT_KEY[kind])
    by_kind = definition.complaints.decided_by_grantor_kind
    decided_by = ""
    try:
        body = by_kind.get(GrantorKind(grantor_kind))
    except ValueError:
        body = None
    if body is not None:
        decided_by = body.nb
    elif right.decided_by is not None:
        decided_by = f"Klagen avgjøres av {right.decided_by.nb}."
    sent_to = right.sent_to.nb if right.sent_to else grantor_name
    if right.allowed:
        text = (
            f"Dere kan klage på vedtaket. Klagefristen er {_weeks(right.deadline_weeks or 0)} fra dere mottok dette brevet. "
            f"Klagen sendes til: {sent_to}. Oppgi saksnummeret og hva dere mener er feil. "
            + (decided_by + " " if decided_by else "")
            + f"Hjemmel: {right.legal_reference.nb}"
        )
    else:
        text = f"Dere har ikke klagerett på dette vedtaket. {right.legal_reference.nb}"
    return {
        "rule": right.rule,
        "allowed": right.allowed,
        "deadline_weeks": right.deadline_weeks if right.allowed else None,
        "legal_reference": right.legal_reference.nb,
        "sent_to": sent_to if right.allowed else "",
        "decided_by": decided_by if right.allowed else "",
        "text": text,
    }


def payment_facts(definition: CallDefinition, amount: int, grantor_name: str) -> dict[str, Any]:
    payment = definition.payment
    terms = payment.terms
    schedule: list[str] = []
    if payment.two_terms_threshold is not None and amount > payment.two_terms_threshold:
        terms = payment.terms_above_threshold
        schedule = [SEASON_NB[s] for s in payment.schedule]
    after_acceptance = payment.trigger == PaymentTrigger.ON_ACCEPTANCE
    when = (
        "etter at dere har akseptert tilskuddet og vilkårene i dette brevet"
        if after_acceptance
        else "etter dette vedtaket"
    )
    how = f"i {NUMBER_NB.get(terms, str(terms))} termin" + ("er" if terms != 1 else "")
    if schedule:
        how += ", " + " og ".join(schedule)
    text = f"{grantor_name} utbetaler tilskuddet {how}, {when}."
    if payment.two_terms_threshold is not None:
        text += f" Tilskudd over {format_nok(payment.two_terms_threshold)} utbetales i {NUMBER_NB.get(payment.terms_above_threshold, str(payment.terms_above_threshold))} terminer."
    return {
        "rule": payment.rule,
        "trigger": payment.trigger.value,
        "after_acceptance": after_acceptance,
        "terms": terms,
        "schedule": schedule,
        "two_terms_threshold": payment.two_terms_threshold,
        "text": text,
        "note": payment.note.nb if payment.note else "",
    }


def reporting_facts(
    definition: CallDefinition, areas: list[str], amount: int, last_year: int, report_due: dt.date | None = None
) -> list[dict[str, Any]]:
    """The reporting duties that apply to the application's areas, each with its deadline.

    A duty the call gives no date for (C2, C3, C4: «frister står i tilskuddsbrevet») is due on the
    date the caseworker set in the decision, else 1 February the year after the grant period ends;
    ``due_set_in_letter`` says so.
    """
    duties = []
    for duty in definition.reporting.duties:
        if duty.areas and not set(duty.areas) & set(areas):
            continue
        due = duty.due or report_due or dt.date(last_year + 1, 2, 1)
        auditor = None
        if duty.auditor_threshold is not None:
            auditor = amount >= duty.auditor_threshold
        elif duty.auditor_required is not None:
            auditor = duty.auditor_required
        auditor_text = ""
        if duty.auditor_threshold is not None:
            auditor_text = (
                f"Tilskuddet er på {format_nok(duty.auditor_threshold)} eller mer: regnskapet skal revideres av statsautorisert "
                "eller registrert revisor."
                if auditor
                else f"Tilskuddet er under {format_nok(duty.auditor_threshold)}: regnskapet trenger ikke revisorattestasjon."
            )
        elif duty.auditor_required is False:
            auditor_text = "Regnskapet trenger ikke attestasjon fra revisor."
        elif duty.auditor_required:
            auditor_text = "Regnskapet skal attesteres av revisor."
        duties.append(
            {
                "rule": duty.rule,
                "kind": duty.kind.value,
                "title": duty.title.nb,
                "due": due,
                "due_text": format_date(due),
                "due_set_in_letter": duty.due is None,
                "content": [c.nb for c in duty.content],
                "accounts_period": duty.accounts_period.nb if duty.accounts_period else "",
                "auditor_required": auditor,
                "auditor_threshold": duty.auditor_threshold,
                "auditor_text": auditor_text,
                "approved_by": [a.nb for a in duty.approved_by],
                "personal_data": duty.personal_data,
            }
        )
    return duties


def letter_facts(decision: Decision, *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the letter states, as plain data (bokmål)."""
    application = decision.application
    definition = application.call_version.parsed()
    kind = DecisionKind(decision.kind)
    content = application.submitted_content or application.content or {}
    applicant = content.get("applicant") or {}
    areas = case_facts.areas_of(application)
    applied = case_facts.applied_for(application)
    grantor = grantor_of_decision(decision, definition)
    moment = decision.published_at or timezone.now()
    letter_date = today or timezone.localtime(moment).date()
    area_titles = {a.id: a.title.nb for a in definition.areas.items} if definition.areas else {}
    organisation = application.organisation
    facts: dict[str, Any] = {
        "kind": kind.value,
        "title": TITLE[kind],
        "grantor_name": grantor["name"],
        "grantor_org_number": grantor["org_number"],
        "grantor_kind": grantor["kind"],
        "case_number": application.case_number or "",
        "date": letter_date,
        "date_text": format_date(letter_date),
        "applicant_name": applicant.get("name") or organisation.name,
        "applicant_org_number": applicant.get("org_number") or organisation.org_number,
        "applicant_address": applicant.get("address") or organisation.address,
        "applicant_postal_code": applicant.get("postal_code") or organisation.postal_code,
        "applicant_city": applicant.get("city") or organisation.city,
        "call_title": definition.title.nb,
        "call_year": definition.year,
        "project_title": application.title or str((content.get("answers") or {}).get("project_title") or ""),
        "areas": [f"{a}: {area_titles[a]}" if a in area_titles else a for a in areas],
        "amount_applied": applied,
        "amount_applied_text": format_nok(applied),
        "reasons": decision.reasons,
        "complaint": complaint_facts(definition, kind, grantor["kind"], grantor["name"]),
        "submitted_at": format_date(application.submitted_at),
    }
    if kind != DecisionKind.GRANT:
        return facts
    later = sorted((int(year), int(amount)) for year, amount in (decision.later_years or {}).items() if int(amount))
    last_year = decision.period_end.year if decision.period_end else max([definition.year, *[y for y, _ in later]])
    conditions_by_id = {c.id: c for c in definition.grant_conditions}
    multi = definition.multi_year
    facts.update(
        {
            "amount": decision.amount,
            "amount_text": format_nok(decision.amount),
            "partial": bool(applied) and decision.amount < applied,
            "period_start": decision.period_start,
            "period_end": decision.period_end,
            "period_text": f"{format_date(decision.period_start)}–{format_date(decision.period_end)}",
            "purpose": definition.purpose.nb if definition.purpose else definition.title.nb,
            "conditions": [
                {"id": c, "rule": conditions_by_id[c].rule, "text": conditions_by_id[c].text.nb}
                for c in decision.conditions
                if c in conditions_by_id
            ],
            "extra_conditions": decision.extra_conditions,
            "payment": payment_facts(definition, decision.amount, grantor["name"]),
            "reporting": reporting_facts(definition, areas, decision.amount, last_year, decision.report_due),
            "reporting_notes": [note.text.nb for note in definition.reporting.notes],
            "repayment": (
                {
                    "rule": definition.repayment.rule,
                    "text": definition.repayment.text.nb,
                    "use_by": format_date(definition.repayment.use_by),
                }
                if definition.repayment
                else {
                    "rule": "X-R05",
                    "text": "Tilskudd som ikke brukes etter formålet og vilkårene i dette brevet, skal betales tilbake.",
                    "use_by": "",
                }
            ),
            "carry_over": (
                {
                    "rule": definition.carry_over.rule,
                    "allowed": definition.carry_over.allowed,
                    "text": (
                        "Ubrukte midler kan overføres til neste år på disse vilkårene: "
                        + " ".join(c.nb for c in definition.carry_over.conditions)
                        if definition.carry_over.allowed
                        else "Ubrukte midler kan ikke overføres til neste år."
                    ),
                }
                if definition.carry_over
                else None
            ),
            "later_years": [{"year": y, "amount": a, "amount_text": format_nok(a)} for y, a in later],
            "later_years_text": (
                "Tilsagn for senere år gis med forbehold om Stortingets bevilgning for det enkelte budsjettår."
                if later and multi.subject_to_appropriation
                else ("Tilsagn for senere år." if later else "")
            ),
            "yearly_reevaluation": bool(later) and multi.yearly_reevaluation,
        }
    )
    payment = facts["payment"]
    facts["acceptance"] = (
        f"Tilskuddet utbetales når dere har akseptert det. Send en skriftlig aksept av tilskuddet og vilkårene, "
        f"signert av den som har signaturrett, til {grantor['name']}, og oppgi saksnummer "
        f"{facts['case_number']}."
        if payment["after_acceptance"]
        else ""
    )
    facts["auditor_required"] = any(d["auditor_required"] for d in facts["reporting"])
    return facts


# --- rendering and storing -----------------------------------------------------------


def letter_html(decision: Decision, *, preview: bool = False) -> str:
    facts = letter_facts(decision)
    return render_to_string(f"grants/letters/{decision.kind}.html", {"f": facts, "preview": preview})


def letter_pdf(decision: Decision, *, preview: bool = False) -> bytes:
    """The letter as tagged PDF/UA bytes (WeasyPrint, :func:`tilskudd.core.pdf.render_pdf`); letters are in bokmål."""
    return render_pdf(letter_html(decision, preview=preview), base_url=FONT_DIR.as_uri() + "/", language="nb")


def letter_filename(decision: Decision) -> str:
    case = (decision.application.case_number or str(decision.application_id)).replace("/", "-")
    return f"{FILE_PREFIX[DecisionKind(decision.kind)]}-{case}.pdf"


def store_letter(decision: Decision) -> Document:
    """Render and store the letter as the application's Document of its kind (the existing one if stored)."""

    kind = LETTER_KIND[DecisionKind(decision.kind)]
    existing = Document.objects.filter(application=decision.application, kind=kind).first()
    if existing is not None:
        return existing
    pdf = letter_pdf(decision)
    document = Document(application=decision.application, kind=kind, sha256=hashlib.sha256(pdf).hexdigest())
    document.file.save(letter_filename(decision), ContentFile(pdf), save=False)
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document
