"""Money carried into a continued year can be claimed back (issue #12, review of points 5 and 6): the continued
year's terms pay the grant less what was carried in (that money was paid out the year before), and its accounts
count the unused amount over the whole grant; so the claim is held to what the grantee has had for the year, the
terms paid plus the money carried in, not to the terms alone (C1-R12: unused funds carried into the next year)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision, staff_of
from tests.payments.payment_helpers import accept
from tests.staff_world import build_world
from tilskudd.amendments import services as amendments
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import acceptance, continuation
from tilskudd.grants.decisions.services import call_year
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.reports import repayment
from tilskudd.reports import services as reports
from tilskudd.reports.duties import create_duties
from tilskudd.reports.models import ReportingDuty

C1 = "fag-og-yrkesopplaering-2025"
OSLO = dt.timezone(dt.timedelta(hours=1))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

carried_claim_world_built = shared_world(lambda: build_world((C1,)), name="carried_claim_world_built")


@pytest.fixture
def world(carried_claim_world_built, db):
    return fresh(carried_claim_world_built)


def continued_with_25_000_carried(world, freeze_now):
    """A C1 grant of 100 000 with 80 000 committed for the next year; 25 000 of it carried into that year by
    consent; continued (105 000, its terms paying 80 000), accepted, and its terms paid."""
    application = world.applications[C1][0]
    year = call_year(application)
    later = year + 1
    decision = publish_decision(world, application, amount=100_000, later_years={str(later): 80_000})
    grant = accept(decision.grant, dt.date(year, 3, 1))
    create_duties(applicant_of(application), grant)
    staff, signatory = staff_of(world, application), applicant_of(application)
    asked = amendments.request_carry_over(signatory, grant.pk, 25_000, "Kurset ble flyttet til våren.")
    amendments.consent(staff["caseworker"], asked.pk, "Prosjektet er flerårig; beløpet står i regnskapet.")
    freeze_now(dt.datetime(year, 11, 20, 10, 0, tzinfo=OSLO))
    ids = [c["id"] for c in continuation.conditions(grant)]
    lines = [{"text": "Lønn", "amount": 80_000}, {"text": "Kurs", "amount": 25_000}]
    filed = continuation.file_plan(signatory, grant.pk, ids, "Vi fortsetter samarbeidet.", lines, 105_000)
    frames.set_frame(staff["approver"], application.call, application.case.grantor_org_number, "", later, 5_000_000)
    continuation.propose(staff["caseworker"], filed.pk, 105_000)
    freeze_now(dt.datetime(year, 12, 1, 10, 0, tzinfo=OSLO))
    new = continuation.approve(staff["approver"], filed.pk).new_grant
    acceptance.accept(signatory, new.pk, acceptance.terms_hash(new))
    new.terms.update(status=TermStatus.PAID)
    new.refresh_from_db()
    new.status = GrantStatus.PAID_OUT
    new.save(update_fields=["status"])
    assert (new.amount, sum(t.amount for t in new.terms.all())) == (105_000, 80_000)
    return new, staff, signatory


def test_unused_money_carried_into_a_continued_year_can_be_claimed_back_up_to_paid_plus_carried(world, freeze_now):
    grant, staff, signatory = continued_with_25_000_carried(world, freeze_now)
    duty = ReportingDuty.objects.get(grant=grant, kind="accounts")
    reports.add_attachment(signatory, duty.pk, "signed_approval", SimpleUploadedFile("godkjenning.pdf", PDF))
    budget = reports.budget_of(duty)
    # Only 15 000 spent of the 105 000: 90 000 unused, more than the 80 000 the year's terms paid.
    actual = {line.index: (15_000 if number == 0 else 0) for number, line in enumerate(budget)}
    report = reports.deliver_report(signatory, duty.pk, reports.Delivery(actual=actual))
    assert (report.accounts["unused"], report.accounts["carried_over"]) == (90_000, 25_000)
    due = dt.date(grant.year + 1, 6, 1)
    caseworker = staff["caseworker"]

    # Above what the grantee has had for the year (80 000 paid + 25 000 carried in) is still refused.
    with pytest.raises(repayment.ClaimInvalid) as refused:
        repayment.prepare_claim(caseworker, grant.pk, reason="Ubrukte midler.", due=due, amount=105_001)
    assert "105\xa0000" in refused.value.reason("nb")
    assert not grant.repayment_claims.exists()

    claim = repayment.prepare_claim(caseworker, grant.pk, reason="Ubrukte midler, også de overførte.", due=due)

    assert claim.amount == 90_000
