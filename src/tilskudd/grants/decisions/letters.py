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

A letter is written for the applicant (issue #10, points 11–14): no rule ids,
readings or call notes meant for the grantor (those stay in the case file and
the call's ``readings``); only the conditions and notes that apply to this
application (its areas; a joint application's conditions only when joint);
each payment term with its amount and trigger; how and by whom to accept; a
complaint right with its deadline, where to send it, who decides and the
right to see the documents; the legal basis the call names (``letters`` in
the call file); the contact for questions and who prepared and approved the
decision.
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
from tilskudd.casework.models import job_title
from tilskudd.core.files import deleted_on_failure
from tilskudd.core.formatting import format_date, format_nok
from tilskudd.core.pdf import render_pdf
from tilskudd.core.text import lower_first
from tilskudd.grants.awards import plan
from tilskudd.grants.awards import services as award_services
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DecisionKind
from tilskudd.orgs.models import Organisation
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


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?»)" else text + "."


def grantor_of_decision(decision: Decision, definition: CallDefinition) -> dict[str, Any]:
    """The grantor that decides: name, org number, kind (directorate, municipality …) and postal address."""
    case = getattr(decision.application, "case", None)
    number = case.grantor_org_number if case else definition.grantor.org_number
    found = None
    if definition.local_grantors:
        for grantor in definition.local_grantors.municipalities:
            if grantor.org_number == number:
                found = {"name": grantor.name.nb, "org_number": number, "kind": grantor.kind.value}
    if found is None:
        found = {
            "name": (case.grantor_name if case and case.grantor_name else definition.grantor.name.nb),
            "org_number": number,
            "kind": definition.grantor.kind.value,
        }
    # The grantor's own record gives the postal address; the call files give none.
    organisation = Organisation.objects.filter(org_number=number).first()
    address = []
    if organisation is not None and organisation.address:
        address = [organisation.address, f"{organisation.postal_code} {organisation.city}".strip()]
    found["address_lines"] = [line for line in address if line]
    found["address"] = ", ".join(found["address_lines"])
    return found


def _person(user, role_word: str, grantor_org_number: str) -> dict[str, str] | None:
    """The signer by name and job title at the deciding grantor; the role in the case when no title is set."""
    if user is None:
        return None
    title = job_title(user, grantor_org_number) or role_word
    return {"name": user.get_full_name(), "title": title, "email": user.email}


def contact_facts(
    decision: Decision, definition: CallDefinition, grantor_name: str, caseworker: dict[str, str] | None
) -> dict[str, str]:
    """Whom the applicant asks: the case's routed contact (C0-R27), the grantor's contact in the call
    (C2's municipal contacts), the call's contact for questions, else the caseworker."""
    case = getattr(decision.application, "case", None)
    if case is not None and case.contact_name:
        return {
            "name": case.contact_name,
            "office": case.office,
            "email": case.contact_email,
            "phone": case.contact_phone,
        }
    if definition.routing and definition.routing.by == "grantor":
        for office in definition.routing.offices:
            if office.office == grantor_name and "*" in office.contacts:
                person = office.contacts["*"]
                return {"name": person.name, "office": "", "email": person.email or "", "phone": person.phone or ""}
    letters = definition.letters
    if letters and letters.contact:
        return {
            "name": letters.contact.name,
            "office": "",
            "email": letters.contact.email or "",
            "phone": letters.contact.phone or "",
        }
    if caseworker is not None:
        return {"name": caseworker["name"], "office": "", "email": caseworker["email"], "phone": ""}
    return {"name": grantor_name, "office": "", "email": "", "phone": ""}


def contact_text(contact: dict[str, str]) -> str:
    """'Sølve Sætre, e-post solve.saetre@bergen.kommune.no, telefon 95 76 31 65'."""
    parts = [contact["name"] + (f" ({contact['office']})" if contact.get("office") else "")]
    if contact.get("email"):
        parts.append(f"e-post {contact['email']}")
    if contact.get("phone"):
        parts.append(f"telefon {contact['phone']}")
    return ", ".join(parts)


def complaint_facts(
    definition: CallDefinition,
    kind: DecisionKind,
    grantor_kind: str,
    grantor_name: str,
    *,
    contact: dict[str, str] | None = None,
    grantor_address: str = "",
    case_number: str = "",
) -> dict[str, Any]:
    """The complaint right for a decision of ``kind`` by a grantor of ``grantor_kind``, and the letter's text.

    Where a complaint is allowed the text says the deadline, to whom and where it is sent, who decides it, and
    the right to see the case documents (forvaltningsloven § 18); where not, why not.
    """
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
        where = f"Send klagen til {grantor_name}"
        if contact and contact.get("email"):
            where = f"Send klagen til oss på e-post til {contact['name']} ({contact['email']})"
        if grantor_address:
            where += f", eller per post til {grantor_name}, {grantor_address}"
        text = (
            f"Dere kan klage på vedtaket. Klagefristen er {_weeks(right.deadline_weeks or 0)} fra den dagen dere mottok "
            f"dette brevet. {where}. Skriv hvilket vedtak dere klager på"
            + (f" (saksnummer {case_number})" if case_number else "")
            + ", hva dere mener er feil, og hvorfor. "
            "Gir vi dere ikke medhold, sender vi klagen videre til klageinstansen. "
            + (_sentence(decided_by) + " " if decided_by else "")
            + "Dere har rett til å se dokumentene i saken (forvaltningsloven § 18). "
            + f"Hjemmel: {_sentence(right.legal_reference.nb)}"
        )
    else:
        text = f"Dere har ikke klagerett på dette vedtaket. {_sentence(right.legal_reference.nb)}"
    return {
        "rule": right.rule,
        "allowed": right.allowed,
        "deadline_weeks": right.deadline_weeks if right.allowed else None,
        "legal_reference": right.legal_reference.nb,
        "sent_to": sent_to if right.allowed else "",
        "decided_by": decided_by if right.allowed else "",
        "text": text,
    }


def payment_facts(
    definition: CallDefinition,
    amount: int,
    grantor_name: str,
    year: int | None = None,
    decided: list[plan.PlannedTerm] | None = None,
) -> dict[str, Any]:
    """How and when the grant is paid: the amount of each term with its trigger or season (C2-R10), or the
    caseworker's plan (``decided``) where the call leaves it to the letter — each term's amount and first day."""
    payment = definition.payment
    if decided:
        return _decided_payment_facts(definition, decided, grantor_name)
    terms, seasons = plan.term_count(definition, amount)
    schedule = [SEASON_NB[s] for s in seasons]
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
    # Several terms are divided as the call file says (C2-R10 reading: equal); a call that says nothing
    # of the split gets one line per term without amounts rather than an invented division.
    split = terms == 1 or bool(definition.letters and definition.letters.two_terms_split == "equal")
    lines = []
    for index, part in enumerate(plan.split(amount, terms)):
        season = schedule[index] if index < len(schedule) else ""
        if index == 0:
            trigger = "når vi har mottatt aksepten" if after_acceptance else "etter vedtaket"
            moment = f"{season}en {year}, {trigger}" if season and year else trigger
        else:
            moment = f"{season}en {year}" if season and year else (season or f"termin {index + 1}")
        lines.append(
            {
                "term": index + 1,
                "amount": part if split else None,
                "amount_text": format_nok(part) if split else "etter avtale",
                "when": moment,
            }
        )
    return {
        "rule": payment.rule,
        "trigger": payment.trigger.value,
        "after_acceptance": after_acceptance,
        "terms": terms,
        "schedule": schedule,
        "two_terms_threshold": payment.two_terms_threshold,
        "lines": lines,
        "text": text,
    }


def _decided_payment_facts(
    definition: CallDefinition, decided: list[plan.PlannedTerm], grantor_name: str
) -> dict[str, Any]:
    payment = definition.payment
    after_acceptance = payment.trigger == PaymentTrigger.ON_ACCEPTANCE
    trigger = "når vi har mottatt aksepten" if after_acceptance else "etter vedtaket"
    count = len(decided)
    how = f"i {NUMBER_NB.get(count, str(count))} termin" + ("er" if count != 1 else "")
    when = (
        "etter at dere har akseptert tilskuddet og vilkårene i dette brevet"
        if after_acceptance
        else "etter dette vedtaket"
    )
    lines = [
        {
            "term": term.number,
            "amount": term.amount,
            "amount_text": format_nok(term.amount),
            "when": (f"tidligst {format_date(term.earliest)}, {trigger}" if term.earliest else trigger),
        }
        for term in decided
    ]
    return {
        "rule": payment.rule,
        "trigger": payment.trigger.value,
        "after_acceptance": after_acceptance,
        "terms": count,
        "schedule": [],
        "two_terms_threshold": None,
        "lines": lines,
        "text": f"{grantor_name} utbetaler tilskuddet {how}, {when}.",
    }


def acceptance_facts(
    definition: CallDefinition,
    letter_date: dt.date,
    grantor_name: str,
    contact: dict[str, str],
    case_number: str,
    decision: Decision | None = None,
) -> dict[str, str]:
    """How to accept (in the portal, issue #11), by whom, by when, and what follows if not.

    The deadline is the grant's (``grants.awards.services.acceptance_due``: the call's weeks from the letter's
    date, else the date the caseworker set in the decision, else none).
    """
    terms = definition.letters.acceptance if definition.letters else None
    signing = definition.signing
    roles = " eller ".join(lower_first(role.nb) for role in signing.roles)
    where = "på Min side i tilskuddsportalen, under søknaden" + (
        f" med saksnummer {case_number}" if case_number else ""
    )
    how = (
        f"Dere aksepterer tilskuddet og vilkårene i dette brevet {where}. Aksepten signeres der av {roles}"
        + (
            " eller av noen som har fått fullmakt til det"
            if signing.delegation_allowed and "fullmakt" not in roles
            else ""
        )
        + ". Der kan dere også takke nei til tilskuddet."
    )
    if decision is not None:
        due = award_services.acceptance_due(decision, letter_date)
    elif terms is not None and terms.deadline_weeks:
        due = letter_date + dt.timedelta(weeks=terms.deadline_weeks)
    else:
        due = None
    if due is not None:
        deadline = f"Fristen for aksept er {format_date(due)}."
    else:
        deadline = "Det er ingen frist for aksept, men tilskuddet blir ikke utbetalt før det er akseptert."
    if terms is not None and terms.if_not_accepted:
        if_not = _sentence(terms.if_not_accepted.nb)
    elif due is not None:
        if_not = (
            "Er tilskuddet ikke akseptert innen fristen, faller tilbudet bort, "
            f"og {grantor_name} kan bruke beløpet til andre."
        )
    else:
        if_not = ""
    return {
        "how": how,
        "deadline": deadline,
        "if_not": if_not,
        "text": " ".join(p for p in (how, deadline, if_not) if p),
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
        content = [c.nb for c in duty.content]
        if duty.auditor_threshold is not None:
            # The auditor rule is stated once, as it applies to this grant (auditor_text), not as the call's rule.
            content = [c for c in content if "revisor" not in c]
        duties.append(
            {
                "rule": duty.rule,
                "kind": duty.kind.value,
                "title": duty.title.nb,
                "due": due,
                "due_text": format_date(due),
                "due_set_in_letter": duty.due is None,
                "content": content,
                "accounts_period": duty.accounts_period.nb if duty.accounts_period else "",
                "auditor_required": auditor,
                "auditor_threshold": duty.auditor_threshold,
                "auditor_text": auditor_text,
                "approved_by": [a.nb for a in duty.approved_by],
                "personal_data": duty.personal_data,
            }
        )
    return duties


def _area_label(area_id: str, title: str) -> str:
    """'1: Lengre kvalifiseringsløp'; a title that begins with its id ('A Deltakelse …') stands alone."""
    return title if title.split(" ", 1)[0].rstrip(".:") == area_id else f"{area_id}: {title}"


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
    caseworker = _person(
        decision.prepared_by if decision.prepared_by_id else None, "saksbehandler", grantor["org_number"]
    )
    approver = _person(decision.approved_by if decision.approved_by_id else None, "beslutter", grantor["org_number"])
    contact = contact_facts(decision, definition, grantor["name"], caseworker)
    case_number = application.case_number or ""
    terms = definition.letters
    facts: dict[str, Any] = {
        "kind": kind.value,
        "title": TITLE[kind],
        "grantor_name": grantor["name"],
        "grantor_org_number": grantor["org_number"],
        "grantor_kind": grantor["kind"],
        "grantor_address_lines": grantor["address_lines"],
        "case_number": case_number,
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
        "areas": [_area_label(a, area_titles[a]) if a in area_titles else a for a in areas],
        "amount_applied": applied,
        "amount_applied_text": format_nok(applied),
        "reasons": decision.reasons,
        "legal_basis": _sentence(lower_first(terms.legal_basis.nb)) if terms else "",
        "caseworker": caseworker,
        "approver": approver,
        "contact": contact,
        "contact_text": contact_text(contact),
        "complaint": complaint_facts(
            definition,
            kind,
            grantor["kind"],
            grantor["name"],
            contact=contact,
            grantor_address=grantor["address"],
            case_number=case_number,
        ),
        "submitted_at": format_date(application.submitted_at),
    }
    if kind != DecisionKind.GRANT:
        return facts
    later = sorted((int(year), int(amount)) for year, amount in (decision.later_years or {}).items() if int(amount))
    last_year = decision.period_end.year if decision.period_end else max([definition.year, *[y for y, _ in later]])
    joint = case_facts.is_joint(application)
    conditions_by_id = {c.id: c for c in definition.grant_conditions}
    multi = definition.multi_year
    repayment_text = (
        terms.repayment.nb
        if terms and terms.repayment
        else (definition.repayment.text.nb if definition.repayment and not terms else "")
    )
    general_repayment = "Tilskudd som ikke brukes etter formålet og vilkårene i dette brevet, skal betales tilbake."
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
                if c in conditions_by_id and (joint or not conditions_by_id[c].joint_only)
            ],
            "extra_conditions": decision.extra_conditions,
            "payment": payment_facts(
                definition,
                decision.amount,
                grantor["name"],
                definition.year,
                plan.decision_plan(decision) if decision.payment_terms else None,
            ),
            "reporting": reporting_facts(definition, areas, decision.amount, last_year, decision.report_due),
            "notes": [
                _sentence(note.text.nb)
                for note in (terms.notes if terms else [])
                if not note.areas or set(note.areas) & set(areas)
            ],
            "repayment": {
                "rule": definition.repayment.rule if definition.repayment else "X-R05",
                "text": _sentence(repayment_text) if repayment_text else general_repayment,
                "use_by": format_date(definition.repayment.use_by) if definition.repayment else "",
            },
            "carry_over": (
                {
                    "rule": definition.carry_over.rule,
                    "allowed": definition.carry_over.allowed,
                    "text": (
                        "Ubrukte midler: " + " ".join(_sentence(c.nb) for c in definition.carry_over.conditions)
                        if definition.carry_over.allowed
                        else "Ubrukte midler kan ikke overføres til neste år."
                    ),
                }
                if definition.carry_over and (not terms or terms.carry_over_in_letter)
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
    acceptance = (
        acceptance_facts(definition, letter_date, grantor["name"], contact, case_number, decision)
        if payment["after_acceptance"]
        else None
    )
    facts["acceptance_parts"] = acceptance
    facts["acceptance"] = acceptance["text"] if acceptance else ""
    facts["auditor_required"] = any(d["auditor_required"] for d in facts["reporting"])
    return facts


# --- rendering and storing -----------------------------------------------------------


def letter_html(decision: Decision, *, preview: bool = False, today: dt.date | None = None) -> str:
    facts = letter_facts(decision, today=today)
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
    with deleted_on_failure(document.file):
        document.save()
    return document
