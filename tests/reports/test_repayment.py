"""Review and repayment claim (issue #12, point 5): the quality bar's C2 walk at service level, with frozen time —
a C2 grant of NOK 150 000 accepted, both terms paid, the annual report and the audited accounts delivered with
20 000 unused, changes asked for and delivered again, approved, 20 000 claimed back, approved by another person
(the preparer cannot), the letter a PDF with the amount, the account and the due date, paid → the grant closed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import staff_of
from tests.reports.helpers import OSLO, accepted_grant
from tests.staff_world import C2, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.casework.models import Role, StaffRole
from tilskudd.core.refusals import Refusal
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.reports import repayment, review, services
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.services import Delivery
from tilskudd.reports.states import ClaimStatus, DutyStatus

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPORT = {
    "work_done": "Vi holdt 12 kurs i norsk og arbeidsliv.",
    "goal_achievement": "Deltakerne kom i arbeid eller utdanning.",
    "participants": 45,
}

repayment_world_built = shared_world(lambda: build_world((C2,)), name="repayment_world_built")


@pytest.fixture
def world(repayment_world_built, db):
    return fresh(repayment_world_built)


def paid_out(grant):
    """Both terms paid (through the ORM, as tests/payments/payment_helpers.py sets a grant's state)."""
    grant.terms.update(status=TermStatus.PAID)
    grant.status = GrantStatus.PAID_OUT
    grant.save(update_fields=["status"])
    return grant


def deliver_with_20_000_unused(grant):
    signatory = applicant_of(grant.application)
    annual = ReportingDuty.objects.get(grant=grant, kind="annual_report")
    accounts = ReportingDuty.objects.get(grant=grant, kind="accounts")
    services.deliver_report(signatory, annual.pk, Delivery(answers=REPORT))
    services.add_attachment(signatory, accounts.pk, "auditor_statement", SimpleUploadedFile("revisor.pdf", PDF))
    lines = services.budget_of(accounts)
    actual = {line.index: (130_000 if line.index == lines[0].index else 0) for line in lines}
    report = services.deliver_report(signatory, accounts.pk, Delivery(actual=actual))
    assert report.accounts["unused"] == 20_000
    return annual, accounts


def test_the_c2_walk_review_claim_20_000_back_paid_and_closed(world, freeze_now):
    grant = accepted_grant(world, freeze_now, C2, 150_000, report_due=dt.date(2021, 3, 1))
    assert grant.status == GrantStatus.ACCEPTED and grant.terms.count() == 2
    staff = staff_of(world, grant.application)
    paid_out(grant)
    freeze_now(dt.datetime(2021, 2, 20, 10, 0, tzinfo=OSLO))
    annual, accounts = deliver_with_20_000_unused(grant)

    # The caseworker asks for changes to the annual report with a message and a new deadline.
    review.request_changes(staff["caseworker"], annual.pk, "Beskriv måloppnåelsen per mål.", dt.date(2021, 3, 15))
    annual.refresh_from_db()
    assert annual.status == DutyStatus.CHANGES_REQUESTED and annual.due == dt.date(2021, 3, 15)
    assert annual.changes_message == "Beskriv måloppnåelsen per mål."
    event = AuditEvent.objects.get(
        subject_type="reportingduty", subject_id=str(annual.pk), action="report.changes_requested"
    )
    assert event.audience == "applicant" and event.reason == "Beskriv måloppnåelsen per mål."

    # Delivered again: version 2; both approved → the grant is reported, 20 000 still owed.
    again = services.deliver_report(
        applicant_of(grant.application), annual.pk, Delivery(answers={**REPORT, "goal_achievement": "Mål 1 nådd."})
    )
    assert again.version == 2
    review.approve_report(staff["caseworker"], annual.pk)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID_OUT  # the accounts are not approved yet
    review.approve_report(staff["caseworker"], accounts.pk)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REPORTED

    # 20 000 claimed back (the default: the accounts' unused amount), four eyes.
    claim = repayment.prepare_claim(
        staff["caseworker"],
        grant.pk,
        reason="20 000 kroner av tilskuddet ble ikke brukt i 2020.",
        due=dt.date(2021, 4, 30),
    )
    assert (claim.amount, claim.rule, claim.status) == (20_000, "C2-R12", ClaimStatus.PREPARED)
    assert "betales tilbake" in claim.legal_basis and claim.reference == repayment.claim_kid(claim)
    claim = repayment.approve_claim(staff["approver"], claim.pk)
    grant.refresh_from_db()
    assert claim.status == ClaimStatus.SENT and grant.status == GrantStatus.REPAYMENT
    data = claim.letter.read()
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", " ")
    assert "Vedtak om krav om tilbakebetaling" in text
    assert "20 000" in text and ("30.04.2021" in text or "30. april 2021" in text)
    assert "8601 11 17947" in text  # IMDi's account (settings.PAYMENT_DEBTORS)
    assert grant.application.case_number in text and "Klagefristen er tre uker" in text

    # Part paid, then the rest: the claim is paid and the grant closed.
    freeze_now(dt.datetime(2021, 4, 20, 10, 0, tzinfo=OSLO))
    repayment.mark_paid(staff["caseworker"], claim.pk, 5_000, dt.date(2021, 4, 19))
    claim.refresh_from_db()
    grant.refresh_from_db()
    assert (claim.status, claim.paid_amount, grant.status) == (ClaimStatus.SENT, 5_000, GrantStatus.REPAYMENT)
    repayment.mark_paid(staff["caseworker"], claim.pk, 15_000, dt.date(2021, 4, 20))
    claim.refresh_from_db()
    grant.refresh_from_db()
    assert (claim.status, claim.paid_amount, grant.status) == (ClaimStatus.PAID, 20_000, GrantStatus.CLOSED)
    moves = list(
        AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), audience="applicant")
        .exclude(to_state="")
        .values_list("to_state", flat=True)
    )
    assert moves[-3:] == ["reported", "repayment", "closed"]


def test_the_preparer_cannot_approve_the_claim_and_nothing_changes(world, freeze_now):
    grant = paid_out(accepted_grant(world, freeze_now, C2, 150_000, report_due=dt.date(2021, 3, 1)))
    staff = staff_of(world, grant.application)
    StaffRole.objects.create(user=staff["caseworker"], grantor=world.imdi, role=Role.APPROVER)
    claim = repayment.prepare_claim(
        staff["caseworker"], grant.pk, reason="Feil bruk.", due=dt.date(2020, 6, 1), amount=10_000
    )
    with pytest.raises(Refusal) as refused:
        repayment.approve_claim(staff["caseworker"], claim.pk)
    assert "fire øyne" in refused.value.reason_nb
    claim.refresh_from_db()
    grant.refresh_from_db()
    assert claim.status == ClaimStatus.PREPARED and not claim.letter and grant.status == GrantStatus.PAID_OUT


def test_a_claim_above_what_was_paid_or_without_reason_is_refused(world, freeze_now):
    grant = paid_out(accepted_grant(world, freeze_now, C2, 150_000, report_due=dt.date(2021, 3, 1)))
    staff = staff_of(world, grant.application)
    with pytest.raises(repayment.ClaimInvalid):
        repayment.prepare_claim(staff["caseworker"], grant.pk, reason="x", due=dt.date(2020, 6, 1), amount=150_001)
    with pytest.raises(repayment.ClaimInvalid):
        repayment.prepare_claim(staff["caseworker"], grant.pk, reason=" ", due=dt.date(2020, 6, 1), amount=1_000)
    with pytest.raises(repayment.ClaimInvalid):  # no accounts delivered: nothing unused to default to
        repayment.prepare_claim(staff["caseworker"], grant.pk, reason="x", due=dt.date(2020, 6, 1))
    assert not grant.repayment_claims.exists()
