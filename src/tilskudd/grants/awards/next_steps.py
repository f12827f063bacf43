"""The grant's next step on Min side (issue #13, point 5): registered with ``applications.next_steps``.

Offered: answer the offer by ``acceptance_due``. Accepted or being paid: the next payment term (or why it is
held) and the report with its deadline. Paid out: the report. Then what became of it, in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from tilskudd.applications import next_steps
from tilskudd.applications.models import Application
from tilskudd.casework import facts as case_facts
from tilskudd.core.formatting import format_nok
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus

Step = next_steps.NextStep

#: What there is to say once the grant has ended or was not taken up (no deadline, nothing to do).
ENDED = {
    GrantStatus.DECLINED: ("Dere takket nei til tilskuddet.", "You declined the grant."),
    GrantStatus.LAPSED: (
        "Tilbudet ble ikke akseptert innen fristen. Ta kontakt med tilskuddsforvalteren om dere fortsatt vil ha det.",
        "The offer was not accepted in time. Contact the grantor if you still want it.",
    ),
    GrantStatus.CANCELLED: ("Tilskuddet er trukket tilbake – se brevet.", "The grant is cancelled – see the letter."),
    GrantStatus.REPORTED: (
        "Rapporten er mottatt – ingen ting å gjøre nå.",
        "The report is received – nothing to do now.",
    ),
    GrantStatus.CLOSED: ("Tilskuddet er avsluttet.", "The grant is closed."),
    GrantStatus.REPAYMENT: (
        "Dere har fått krav om tilbakebetaling – se brevet.",
        "You have been asked to repay – see the letter.",
    ),
}


def _page(grant: Grant) -> str:
    return reverse("grants:grant", args=[grant.application_id])


def _next_payment(grant: Grant) -> Step | None:
    term = grant.terms.exclude(status__in=[TermStatus.PAID, TermStatus.CANCELLED]).order_by("number").first()
    if term is None:
        return None
    amount_nb, amount_en = format_nok(term.amount, "nb"), format_nok(term.amount, "en")
    if term.status == TermStatus.HELD:
        return Step(
            f"Utbetaling {term.number} ({amount_nb}) er holdt tilbake. Se tilskuddet for hvorfor.",
            f"Payment {term.number} ({amount_en}) is held. See the grant for why.",
            url=_page(grant),
            link_nb="Se tilskuddet",
            link_en="See the grant",
        )
    return Step(
        f"Neste utbetaling: {amount_nb} (termin {term.number}).",
        f"Next payment: {amount_en} (term {term.number}).",
        due=term.due_on or term.earliest,
    )


def _report(grant: Grant, today: dt.date) -> Step | None:
    """The first reporting duty not yet due as the letter states it (the decision's date, the call's, or
    1 February after the period)."""
    # Imported here, not when the app registers its steps: the letters pull in the rule engine and the receipts,
    # which management commands and the worker need not load at start (issue #13, point 11).
    from tilskudd.grants.decisions import letters  # noqa: PLC0415

    decision = grant.decision
    application = grant.application
    definition = application.call_version.parsed()
    last_year = grant.period_end.year if grant.period_end else max([grant.year, *map(int, grant.later_years or {})])
    duties = letters.reporting_facts(
        definition, case_facts.areas_of(application), grant.amount, last_year, decision.report_due
    )
    due = min((duty["due"] for duty in duties), default=None)
    if due is None:
        return None
    if due < today:
        return Step(
            "Send rapport om bruken av tilskuddet – fristen er passert.",
            "Send the report on how the grant was used – the deadline has passed.",
            due=due,
        )
    return Step("Send rapport om bruken av tilskuddet.", "Send the report on how the grant was used.", due=due)


@next_steps.register
def grant_steps(application: Application, today: dt.date) -> Iterable[Step]:
    """The grant's steps: the offer to answer, the next payment and the report, or what became of it."""
    grant = (
        Grant.objects.select_related("decision", "application__call_version")
        .filter(application=application)
        .order_by("-offered_at", "-id")
        .first()
    )
    if grant is None:
        return
    status = GrantStatus(grant.status)
    if status == GrantStatus.OFFERED:
        yield Step(
            "Svar på tilbudet om tilskudd: aksepter det eller takk nei.",
            "Answer the grant offer: accept it or decline.",
            due=grant.acceptance_due,
            url=_page(grant),
            link_nb="Svar på tilbudet",
            link_en="Answer the offer",
        )
        return
    if status in ENDED:
        yield Step(*ENDED[status], url=_page(grant), link_nb="Se tilskuddet", link_en="See the grant")
        return
    if status in (GrantStatus.ACCEPTED, GrantStatus.IN_PAYMENT):
        payment = _next_payment(grant)
        if payment is not None:
            yield payment
    report = _report(grant, today)
    if report is not None:
        yield report
