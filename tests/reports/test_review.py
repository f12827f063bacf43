"""The caseworker's review of reports (issue #12, point 5): approval reports and closes the grant when nothing is
owed, changes need a message and a new deadline, an overdue report holds the next payment term, and only the
grantor's caseworker may review."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import staff_of
from tests.reports.helpers import DECIDED, OSLO, accepted_grant, frozen_clock
from tests.staff_world import C2, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.casework.access import RoleMissing
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.reports import review, services
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.services import Delivery
from tilskudd.reports.states import DutyStatus

REPORT = {"work_done": "Kurs.", "goal_achievement": "Nådd.", "participants": 10}


def _world():
    """C2's world and the grant the tests review, decided and accepted once for the module (issue #9 point 7)."""
    world = build_world((C2,))
    with frozen_clock() as freeze:
        grant = accepted_grant(world, freeze, C2, 50_000, report_due=dt.date(2021, 3, 1))
    return {"world": world, "grant": grant}


review_world_built = shared_world(_world, name="review_world_built")


@pytest.fixture
def built(review_world_built, db):
    return fresh(review_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def grant(built, freeze_now):
    """A C2 grant of NOK 50 000 (no auditor), accepted (the clock stands at its acceptance), reports due
    1 March 2021."""
    freeze_now(DECIDED[C2])
    return built["grant"]


def _deliver_all_fully_used(grant):
    signatory = applicant_of(grant.application)
    for duty in grant.reporting_duties.all():
        if duty.accounts:
            lines = services.budget_of(duty)
            actual = {line.index: (50_000 if line.index == lines[0].index else 0) for line in lines}
            services.deliver_report(signatory, duty.pk, Delivery(actual=actual))
        else:
            services.deliver_report(signatory, duty.pk, Delivery(answers=REPORT))


def test_all_reports_approved_with_nothing_unused_closes_a_paid_out_grant(world, grant):
    staff = staff_of(world, grant.application)
    grant.terms.update(status=TermStatus.PAID)
    grant.status = GrantStatus.PAID_OUT
    grant.save(update_fields=["status"])
    _deliver_all_fully_used(grant)
    for duty in grant.reporting_duties.all():
        review.approve_report(staff["caseworker"], duty.pk)
        assert ReportingDuty.objects.get(pk=duty.pk).status == DutyStatus.APPROVED
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CLOSED
    events = AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), audience="applicant")
    assert {"grant.reported", "grant.closed"} <= set(events.values_list("action", flat=True))


def test_asking_for_changes_needs_a_message_and_a_deadline_not_in_the_past(world, grant, freeze_now):
    staff = staff_of(world, grant.application)
    _deliver_all_fully_used(grant)
    duty = grant.reporting_duties.get(kind="annual_report")
    freeze_now(dt.datetime(2021, 3, 2, 9, 0, tzinfo=OSLO))
    with pytest.raises(review.ReviewInvalid) as refused:
        review.request_changes(staff["caseworker"], duty.pk, "  ", dt.date(2021, 3, 20))
    assert refused.value.status == 400
    with pytest.raises(review.ReviewInvalid):
        review.request_changes(staff["caseworker"], duty.pk, "Mer om målene.", dt.date(2021, 3, 1))
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DELIVERED and duty.due == dt.date(2021, 3, 1)
    review.request_changes(staff["caseworker"], duty.pk, "Mer om målene.", dt.date(2021, 3, 20))
    with pytest.raises(review.ReviewRefused):  # not delivered any more: nothing to approve
        review.approve_report(staff["caseworker"], duty.pk)


def test_only_the_grantors_caseworker_reviews(world, grant):
    staff = staff_of(world, grant.application)
    _deliver_all_fully_used(grant)
    duty = grant.reporting_duties.get(kind="annual_report")
    with pytest.raises(RoleMissing):
        review.approve_report(staff["approver"], duty.pk)
    with pytest.raises(review.ReviewNotFound):
        review.approve_report(applicant_of(grant.application), duty.pk)
    assert ReportingDuty.objects.get(pk=duty.pk).status == DutyStatus.DELIVERED


def test_an_overdue_report_holds_the_next_term(world, grant, freeze_now):
    staff = staff_of(world, grant.application)
    first, second = grant.terms.order_by("number")
    first.status = TermStatus.PAID
    first.save(update_fields=["status"])
    duty = grant.reporting_duties.get(kind="annual_report")
    freeze_now(dt.datetime(2021, 3, 1, 12, 0, tzinfo=OSLO))
    with pytest.raises(review.ReviewRefused):  # due today: not overdue yet
        review.hold_next_term(staff["caseworker"], duty.pk)
    freeze_now(dt.datetime(2021, 3, 2, 9, 0, tzinfo=OSLO))
    term = review.hold_next_term(staff["caseworker"], duty.pk)
    second.refresh_from_db()
    assert term.pk == second.pk and second.status == TermStatus.HELD
    assert second.held_reason == "Rapport ikke levert innen fristen"
    with pytest.raises(review.ReviewRefused):  # nothing planned left to hold
        review.hold_next_term(staff["caseworker"], duty.pk)
