"""Reporting duties (*rapporteringsplikt*, issue #12 point 1): made from the call when the grant is accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.complaints.helpers import C3, decide
from tests.conftest import CALLS_DIR
from tests.reports.helpers import DECIDED, accepted_grant
from tests.staff_world import C0, C2, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.grants.awards import acceptance
from tilskudd.reports import duties
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.states import DUTY_TRANSITIONS, DutyStatus, is_overdue
from tilskudd.rules.loading import load_call_file


def _world():
    return build_world((C0, C2, C3))


reports_world_built = shared_world(_world, name="reports_world_built")


@pytest.fixture
def world(reports_world_built, db):
    return fresh(reports_world_built)


def _owed(grant) -> list[tuple[str, str, dt.date | None]]:
    return [(d.rule, d.kind, d.due) for d in ReportingDuty.objects.filter(grant=grant).order_by("position")]


def test_c0_owes_a_status_report_by_1_september_2019_and_the_grant_report_and_accounts_by_1_february_2020(
    world, freeze_now
):
    grant = accepted_grant(world, freeze_now, C0, 200_000)
    owed = _owed(grant)
    assert owed[:3] == [
        ("C0-R11", "status_report", dt.date(2019, 9, 1)),
        ("C0-R11", "grant_report", dt.date(2020, 2, 1)),
        ("C0-R11", "accounts", dt.date(2020, 2, 1)),
    ]
    # C0-R12's individual reporting only for grants under area 1.
    areas = grant.application.case.area_codes
    assert (("C0-R12", "individual_report", None) in owed) == ("1" in areas)
    accounts = ReportingDuty.objects.get(grant=grant, kind="accounts")
    assert accounts.accounts and accounts.accounts_period_nb.startswith("Prosjektets inntekter")
    assert not accounts.auditor_required  # C0 asks for no auditor
    assert all(d.status == DutyStatus.OPEN for d in ReportingDuty.objects.filter(grant=grant))
    event = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="report.duties_created")
    assert event.audience == "applicant" and len(event.data["duties"]) == len(owed)
    assert event.actor_id == applicant_of(grant.application).pk


def test_c2_at_150_000_needs_an_auditors_statement_and_the_due_date_is_the_decisions(world, freeze_now):
    grant = accepted_grant(world, freeze_now, C2, 150_000, report_due=dt.date(2021, 3, 1))
    assert _owed(grant) == [
        ("C2-R11", "annual_report", dt.date(2021, 3, 1)),
        ("C2-R11", "accounts", dt.date(2021, 3, 1)),
    ]
    accounts = ReportingDuty.objects.get(grant=grant, kind="accounts")
    assert accounts.auditor_required  # C2-R11: NOK 100 000 or more
    assert not ReportingDuty.objects.get(grant=grant, kind="annual_report").auditor_required


def test_c2_at_50_000_needs_no_auditor(world, freeze_now):
    grant = accepted_grant(world, freeze_now, C2, 50_000, report_due=dt.date(2021, 3, 1))
    assert not ReportingDuty.objects.get(grant=grant, kind="accounts").auditor_required


def test_c2_auditor_threshold_is_inclusive():
    duty = load_call_file(CALLS_DIR / f"{C2}.yaml").reporting.duties[1]
    assert duty.kind.value == "accounts"
    assert duties.auditor_required(duty, 100_000) and not duties.auditor_required(duty, 99_999)


def test_c3_owes_the_final_report_and_accounts_only_by_the_decisions_date_approved_by_the_named_people(
    world, freeze_now
):
    grant = accepted_grant(world, freeze_now, C3, 300_000, report_due=dt.date(2025, 2, 15))
    assert _owed(grant) == [
        ("C3-R09", "final_report", dt.date(2025, 2, 15)),
        ("C3-R09", "accounts", dt.date(2025, 2, 15)),
    ]
    accounts = ReportingDuty.objects.get(grant=grant, kind="accounts")
    assert [p["nb"] for p in accounts.approved_by] == ["Prosjektansvarlig", "Overordnet leder i kommunen eller bydelen"]
    assert not ReportingDuty.objects.filter(grant=grant, kind="status_report").exists()


def test_accepting_again_makes_no_second_duty_and_an_offer_makes_none(world, freeze_now):
    freeze_now(DECIDED[C2])
    application = world.applications[C2][0]
    grant = decide(world, application, kind="grant", amount=60_000, report_due=dt.date(2021, 3, 1)).grant
    assert not ReportingDuty.objects.filter(grant=grant).exists()  # nothing is owed before acceptance
    signatory = applicant_of(application)
    acceptance.accept(signatory, grant.pk, acceptance.terms_hash(grant))
    grant.refresh_from_db()
    acceptance.accept(signatory, grant.pk, acceptance.terms_hash(grant))  # a double click
    assert ReportingDuty.objects.filter(grant=grant).count() == 2
    assert len(duties.create_duties(signatory, grant)) == 2  # called again: the same two
    assert ReportingDuty.objects.filter(grant=grant).count() == 2
    assert AuditEvent.objects.filter(subject_id=str(grant.pk), action="report.duties_created").count() == 1


def test_a_declined_grant_owes_nothing(world, freeze_now):
    freeze_now(DECIDED[C2])
    application = world.applications[C2][0]
    grant = decide(world, application, kind="grant", amount=60_000).grant
    acceptance.decline(applicant_of(application), grant.pk, acceptance.terms_hash(grant))
    assert not ReportingDuty.objects.filter(grant=grant).exists()


def test_overdue_is_derived_from_the_day_in_oslo():
    due = dt.date(2019, 9, 1)
    assert not is_overdue(DutyStatus.OPEN, due, dt.date(2019, 9, 1))
    assert is_overdue(DutyStatus.OPEN, due, dt.date(2019, 9, 2))
    assert is_overdue(DutyStatus.CHANGES_REQUESTED, due, dt.date(2019, 9, 2))
    assert not is_overdue(DutyStatus.DELIVERED, due, dt.date(2019, 9, 2))
    assert not is_overdue(DutyStatus.OPEN, None, dt.date(2030, 1, 1))


def test_the_duty_state_machine_delivers_again_only_after_changes_were_asked_for():
    assert DUTY_TRANSITIONS[(DutyStatus.OPEN, DutyStatus.DELIVERED)] == "deliver"
    assert DUTY_TRANSITIONS[(DutyStatus.CHANGES_REQUESTED, DutyStatus.DELIVERED)] == "deliver"
    assert (DutyStatus.APPROVED, DutyStatus.DELIVERED) not in DUTY_TRANSITIONS
