"""A C1 grant's year after the decision, through the services with frozen time (issue #12, points 1, 2 and 5).

C1-R11: the annual report and the project accounts are due 01.02 of the following year; the accounts are approved
by the project lead in the county authority and the responsible manager (a signed approval is uploaded, or the
accounts are not taken), and no auditor's statement is asked for, whatever the amount. C1-R13: what the accounts
leave unused is claimed back with a letter (four eyes) and, paid with the letter's KID, read from the bank's
camt.054 so the claim is paid and the grant closed. The demo copy of the call runs in a year near today, so the
walk counts from the call's year rather than from 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision, staff_of
from tests.payments.test_camt_repayments import Credit, camt
from tests.staff_world import C0, build_world
from tilskudd.grants.awards import acceptance
from tilskudd.grants.decisions.services import call_year
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.payments import services as payments
from tilskudd.reports import repayment, review, services
from tilskudd.reports.models import Report, ReportingDuty
from tilskudd.reports.services import Delivery, ReportInvalid
from tilskudd.reports.states import ClaimStatus, DutyStatus, is_overdue

C1 = "fag-og-yrkesopplaering-2025"
OSLO = dt.timezone(dt.timedelta(hours=1))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANNUAL = {
    "cooperation_model": "Fylkeskommunen, NAV og tre skoler møtes hver måned.",
    "cooperation_development": "Samarbeidet fikk en fast koordinator fra høsten.",
    "use_of_grant": "Lønn til koordinator og kurs for lærere.",
    "participants": 38,
}

c1_walk_built = shared_world(lambda: build_world((C0, C1)), name="c1_walk_built")


@pytest.fixture
def world(c1_walk_built, db):
    return fresh(c1_walk_built)


@pytest.fixture
def grant(world, freeze_now):
    """A C1 grant (at most NOK 150 000, what was applied for) for the call's year, accepted and paid out."""
    application = next(a for a in world.applications[C1] if (a.case.amount_applied or 0) >= 100_000)
    amount = min(150_000, application.case.amount_applied)
    year = call_year(application)
    freeze_now(dt.datetime(year, 3, 2, 10, 0, tzinfo=OSLO))
    offered = publish_decision(world, application, amount=amount).grant
    acceptance.accept(applicant_of(application), offered.pk, acceptance.terms_hash(offered))
    offered.refresh_from_db()
    offered.terms.update(status=TermStatus.PAID)  # paid as tests/payments sets it
    offered.status = GrantStatus.PAID_OUT
    offered.save(update_fields=["status"])
    return offered


def test_c1_r11_the_annual_report_and_accounts_are_due_1_february_approved_by_two_without_an_auditor(grant, freeze_now):
    year = grant.year
    duties = {duty.kind: duty for duty in ReportingDuty.objects.filter(grant=grant)}
    assert set(duties) == {"annual_report", "accounts"}
    assert {duty.rule for duty in duties.values()} == {"C1-R11"}
    assert {duty.due for duty in duties.values()} == {dt.date(year + 1, 2, 1)}
    accounts = duties["accounts"]
    assert accounts.accounts and grant.amount >= 100_000 and not accounts.auditor_required
    assert [name["nb"] for name in accounts.approved_by] == ["Prosjektansvarlig i fylkeskommunen", "Ansvarlig leder"]
    # On time through 1 February; overdue the day after.
    assert not is_overdue(accounts.status, accounts.due, dt.date(year + 1, 2, 1))
    assert is_overdue(accounts.status, accounts.due, dt.date(year + 1, 2, 2))

    freeze_now(dt.datetime(year + 1, 1, 28, 10, 0, tzinfo=OSLO))
    signatory = applicant_of(grant.application)
    services.deliver_report(signatory, duties["annual_report"].pk, Delivery(answers=ANNUAL))
    actual = {line.index: line.budget for line in services.budget_of(accounts)}
    # Without the two people's signed approval the accounts are not taken; no auditor's statement is asked for.
    with pytest.raises(ReportInvalid) as refused:
        services.deliver_report(signatory, accounts.pk, Delivery(actual=actual))
    assert set(refused.value.errors) == {"signed_approval"}
    assert refused.value.errors["signed_approval"][0] == "Last opp den signerte godkjenningen av regnskapet."
    assert not Report.objects.filter(duty=accounts).exists()

    services.add_attachment(signatory, accounts.pk, "signed_approval", SimpleUploadedFile("godkjent.pdf", PDF))
    report = services.deliver_report(signatory, accounts.pk, Delivery(actual=actual))
    accounts.refresh_from_db()
    assert accounts.status == DutyStatus.DELIVERED and report.accounts["granted"] == grant.amount


def test_c1_r13_unused_funds_are_claimed_back_and_paid_from_the_bank_file(grant, freeze_now, world):
    year = grant.year
    staff = staff_of(world, grant.application)
    signatory = applicant_of(grant.application)
    duties = {duty.kind: duty for duty in ReportingDuty.objects.filter(grant=grant)}
    freeze_now(dt.datetime(year + 1, 1, 30, 10, 0, tzinfo=OSLO))
    services.deliver_report(signatory, duties["annual_report"].pk, Delivery(answers=ANNUAL))
    accounts = duties["accounts"]
    services.add_attachment(signatory, accounts.pk, "signed_approval", SimpleUploadedFile("godkjent.pdf", PDF))
    budget = services.budget_of(accounts)
    # The project cost 30 000 less than the grant: the lines filled in order up to that, the rest left at 0.
    left, actual = grant.amount - 30_000, {}
    for line in budget:
        actual[line.index] = min(line.budget, left) if line is not budget[-1] else left
        left -= actual[line.index]
    report = services.deliver_report(signatory, accounts.pk, Delivery(actual=actual))
    unused = report.accounts["unused"]
    assert sum(actual.values()) == grant.amount - 30_000 and unused == 30_000

    freeze_now(dt.datetime(year + 1, 2, 10, 10, 0, tzinfo=OSLO))
    review.approve_report(staff["caseworker"], duties["annual_report"].pk)
    review.approve_report(staff["caseworker"], accounts.pk)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REPORTED  # approved, money still owed: waits for the claim

    claim = repayment.prepare_claim(
        staff["caseworker"], grant.pk, reason="Tilskuddet ble ikke brukt fullt ut.", due=dt.date(year + 1, 3, 31)
    )
    assert (claim.amount, claim.rule) == (unused, "C1-R13")
    assert "betale det tilbake" in claim.legal_basis  # the call's words
    claim = repayment.approve_claim(staff["approver"], claim.pk)
    grant.refresh_from_db()
    assert claim.status == ClaimStatus.SENT and grant.status == GrantStatus.REPAYMENT
    assert claim.reference in repayment.letter_html(claim)

    freeze_now(dt.datetime(year + 1, 3, 20, 10, 0, tzinfo=OSLO))
    paid_in = camt(Credit(f"{unused}.00", kid=claim.reference), booked_on=dt.date(year + 1, 3, 19))
    imported = payments.import_camt054(staff["caseworker"], grant.application.case.grantor_org_number, paid_in)
    assert [line.outcome for line in imported.lines] == ["paid"]
    claim.refresh_from_db()
    grant.refresh_from_db()
    assert (claim.status, claim.paid_amount, claim.paid_on) == (ClaimStatus.PAID, unused, dt.date(year + 1, 3, 19))
    assert grant.status == GrantStatus.CLOSED
