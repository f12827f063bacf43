"""The caseworker's «due and overdue» list across the grantor's grants (issue #12, point 8).

One list of :class:`Row` from five sources, each read in one query whatever the number of rows: open and
lapsed acceptance offers, payment terms falling due within :data:`HORIZON_DAYS` (and every held one),
reporting duties not yet delivered (or sent back) due within the horizon, and delivered reports waiting for
the caseworker's review, and repayment claims sent and not yet paid in full. Overdue first (the most overdue on top), then by due day. Days are judged in
Europe/Oslo (``timezone.localdate``).

Scope from ``casework.scope``: only the grants of the grantors where the person holds a reading role
(caseworker, approver, administrator); another grantor's rows never appear; a person with none of those roles
(an assessor) gets :class:`~tilskudd.casework.access.RoleMissing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from tilskudd.calls.models import Call
from tilskudd.casework import scope
from tilskudd.casework.access import READING_ROLES, RoleMissing
from tilskudd.core.formatting import format_nok
from tilskudd.grants.models import Grant, PaymentTerm
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.reports.models import RepaymentClaim, Report, ReportingDuty
from tilskudd.reports.states import DELIVERABLE, ClaimStatus, DutyStatus

#: Terms and report duties due within this many days from today are listed (offers, held terms and reports
#: to review whatever their day).
HORIZON_DAYS = 30


class Kind(models.TextChoices):
    OFFER = "offer", "Svar på tilbud"
    PAYMENT = "payment", "Utbetaling"
    HELD = "held", "Holdt tilbake"
    REPORT = "report", "Rapport fra tilskuddsmottaker"
    REVIEW = "review", "Rapport til gjennomgang"
    REPAYMENT = "repayment", "Krav om tilbakebetaling"


KIND_EN = {
    Kind.OFFER: "Answer to an offer",
    Kind.PAYMENT: "Payment",
    Kind.HELD: "Held back",
    Kind.REPORT: "Report from the grantee",
    Kind.REVIEW: "Report to review",
    Kind.REPAYMENT: "Repayment claim",
}


def kind_name(kind: str) -> tuple[str, str]:
    return Kind(kind).label, KIND_EN[Kind(kind)]


@dataclass(frozen=True)
class Filters:
    """What the person asked for: a call (slug), a kind, overdue only, only the cases where they are caseworker."""

    call: str = ""
    kind: str = ""
    overdue: bool = False
    mine: bool = False


@dataclass(frozen=True)
class Row:
    kind: str
    what_nb: str
    what_en: str
    grant_id: int
    case_number: str
    organisation: str
    call_nb: str
    call_en: str
    #: The day it is due (Europe/Oslo); for a report to review, the day it was delivered.
    due: dt.date | None
    #: Days past the due day (0 when not overdue).
    overdue_days: int
    amount: int | None
    link: str

    @property
    def what(self) -> tuple[str, str]:
        return self.what_nb, self.what_en

    @property
    def kind_name(self) -> tuple[str, str]:
        return kind_name(self.kind)

    @property
    def call(self) -> tuple[str, str]:
        return self.call_nb, self.call_en


def grantors(user) -> set[str]:
    """The grantors whose grants ``user`` may list; RoleMissing where there are none (an assessor)."""
    numbers = scope.grantor_numbers(user, *READING_ROLES)
    if not numbers:
        raise RoleMissing(*READING_ROLES)
    return numbers


def _grants(user, numbers: set[str], filters: Filters, prefix: str = "") -> dict[str, object]:
    """The lookups (under ``prefix``) that keep a query to the person's grants and the filters."""
    lookups: dict[str, object] = {f"{prefix}application__case__grantor_org_number__in": numbers}
    if filters.call:
        lookups[f"{prefix}application__call__slug"] = filters.call
    if filters.mine:
        lookups[f"{prefix}application__case__caseworker"] = user
    return lookups


def calls(user) -> QuerySet[Call]:
    """The calls with grants of the person's grantors (the call filter's choices)."""
    numbers = grantors(user)
    with_grants = Grant.objects.filter(application__case__grantor_org_number__in=numbers).values("application__call")
    return Call.objects.filter(pk__in=with_grants).order_by("-deadline", "slug")


def _overdue(due: dt.date | None, today: dt.date) -> int:
    return (today - due).days if due is not None and today > due else 0


def _row(kind: str, grant: Grant, what: tuple[str, str], due, overdue: int, amount, link: str) -> Row:
    application = grant.application
    call = application.call
    return Row(
        kind=kind,
        what_nb=what[0],
        what_en=what[1],
        grant_id=grant.pk,
        case_number=application.case_number or "",
        organisation=application.organisation.name,
        call_nb=call.title_nb,
        call_en=call.title_en or call.title_nb,
        due=due,
        overdue_days=overdue,
        amount=amount,
        link=link,
    )


def _grant_link(grant_id: int) -> str:
    return reverse("grants:staff_grant", args=[grant_id])


GRANT_RELATED = ("application", "application__organisation", "application__call")


def _offers(user, numbers, filters, today) -> list[Row]:
    grants = Grant.objects.filter(
        status__in=(GrantStatus.OFFERED, GrantStatus.LAPSED), **_grants(user, numbers, filters)
    ).select_related(*GRANT_RELATED)
    rows = []
    for grant in grants:
        if grant.status == GrantStatus.LAPSED:
            what = ("Tilbudet ble ikke akseptert innen fristen", "The offer was not accepted in time")
        else:
            what = ("Frist for aksept av tilbudet", "Deadline for accepting the offer")
        due = grant.acceptance_due
        rows.append(_row(Kind.OFFER, grant, what, due, _overdue(due, today), grant.amount, _grant_link(grant.pk)))
    return rows


def _terms(user, numbers, filters, today, kind: str) -> list[Row]:
    terms = PaymentTerm.objects.filter(**_grants(user, numbers, filters, "grant__")).select_related(
        "grant", *(f"grant__{name}" for name in GRANT_RELATED)
    )
    if kind == Kind.HELD:
        terms = terms.filter(status=TermStatus.HELD)
    else:
        terms = terms.filter(
            status=TermStatus.PLANNED, due_on__isnull=False, due_on__lte=today + dt.timedelta(days=HORIZON_DAYS)
        )
    rows = []
    for term in terms:
        nb_amount, en_amount = format_nok(term.amount, "nb"), format_nok(term.amount, "en")
        if kind == Kind.HELD:
            what = (
                f"Termin {term.number} ({nb_amount}) er holdt tilbake: {term.held_reason}",
                f"Term {term.number} ({en_amount}) is held: {term.held_reason}",
            )
        else:
            what = (f"Termin {term.number} ({nb_amount}) skal utbetales", f"Term {term.number} ({en_amount}) is due")
        due = term.due_on
        rows.append(_row(kind, term.grant, what, due, _overdue(due, today), term.amount, _grant_link(term.grant_id)))
    return rows


def _duties(user, numbers, filters, today) -> list[Row]:
    duties = ReportingDuty.objects.filter(
        status__in=DELIVERABLE,
        due__isnull=False,
        due__lte=today + dt.timedelta(days=HORIZON_DAYS),
        **_grants(user, numbers, filters, "grant__"),
    ).select_related("grant", *(f"grant__{name}" for name in GRANT_RELATED))
    rows = []
    for duty in duties:
        title_nb, title_en = duty.title
        if duty.status == DutyStatus.CHANGES_REQUESTED:
            what = (f"{title_nb} (endringer etterspurt)", f"{title_en} (changes requested)")
        else:
            what = (title_nb, title_en)
        rows.append(
            _row(Kind.REPORT, duty.grant, what, duty.due, _overdue(duty.due, today), None, _grant_link(duty.grant_id))
        )
    return rows


def _reviews(user, numbers, filters) -> list[Row]:
    reports = (
        Report.objects.filter(duty__status=DutyStatus.DELIVERED, **_grants(user, numbers, filters, "duty__grant__"))
        .select_related("duty", "duty__grant", *(f"duty__grant__{name}" for name in GRANT_RELATED))
        .order_by("duty_id", "version")
    )
    latest: dict[int, Report] = {}
    for report in reports:
        latest[report.duty_id] = report  # the last version of each duty
    rows = []
    for report in latest.values():
        title_nb, title_en = report.duty.title
        day = timezone.localtime(report.submitted_at).date()
        link = reverse("reports:staff_report", args=[report.pk])
        rows.append(_row(Kind.REVIEW, report.duty.grant, (title_nb, title_en), day, 0, None, link))
    return rows


def _repayments(user, numbers, filters, today) -> list[Row]:
    claims = RepaymentClaim.objects.filter(
        status=ClaimStatus.SENT, **_grants(user, numbers, filters, "grant__")
    ).select_related("grant", *(f"grant__{name}" for name in GRANT_RELATED))
    rows = []
    for claim in claims:
        owed = claim.amount - claim.paid_amount
        what = (
            f"Krav om tilbakebetaling: {format_nok(owed, 'nb')} utestående",
            f"Repayment claim: {format_nok(owed, 'en')} outstanding",
        )
        link = _grant_link(claim.grant_id)
        rows.append(_row(Kind.REPAYMENT, claim.grant, what, claim.due, _overdue(claim.due, today), owed, link))
    return rows


def _order(row: Row) -> tuple:
    return (-row.overdue_days, row.due is None, row.due or dt.date.max, row.case_number, row.kind)


def due_rows(user, filters: Filters = Filters(), today: dt.date | None = None) -> list[Row]:
    """What is due or overdue across the grants of the person's grantors, overdue first (a fixed number of
    queries: one per kind, whatever the number of rows)."""
    numbers = grantors(user)
    today = today or timezone.localdate()
    wanted = {filters.kind} if filters.kind else set(Kind.values)
    rows: list[Row] = []
    if Kind.OFFER in wanted:
        rows += _offers(user, numbers, filters, today)
    if Kind.PAYMENT in wanted:
        rows += _terms(user, numbers, filters, today, Kind.PAYMENT)
    if Kind.HELD in wanted:
        rows += _terms(user, numbers, filters, today, Kind.HELD)
    if Kind.REPORT in wanted:
        rows += _duties(user, numbers, filters, today)
    if Kind.REVIEW in wanted:
        rows += _reviews(user, numbers, filters)
    if Kind.REPAYMENT in wanted:
        rows += _repayments(user, numbers, filters, today)
    if filters.overdue:
        rows = [row for row in rows if row.overdue_days > 0]
    return sorted(rows, key=_order)


#: The CSV export's headings (Norwegian), one per value of :func:`export_values`.
EXPORT_HEADINGS = (
    "Type",
    "Hva",
    "Saksnummer",
    "Organisasjon",
    "Utlysning",
    "Frist",
    "Dager over fristen",
    "Beløp (kr)",
    "Lenke",
)


def export_values(row: Row, base_url: str = "") -> tuple:
    """One CSV line: dates ISO, amounts in whole kroner (empty where none)."""
    return (
        row.kind_name[0],
        row.what_nb,
        row.case_number,
        row.organisation,
        row.call_nb,
        row.due.isoformat() if row.due else "",
        row.overdue_days,
        row.amount if row.amount is not None else "",
        base_url + row.link,
    )
