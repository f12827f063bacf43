"""Individual reporting's personal data (C0-R12, issue #12 point 3): encrypted at rest, read only by the named
people with a reason that is logged, keys rotated, deleted after the call's retention period."""

from __future__ import annotations

import contextlib
import datetime as dt
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.participants.helpers import area_1_duty, kari
from tests.reports.helpers import DECIDED
from tests.staff_world import C0, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.core.refusals import NotAllowed
from tilskudd.participants import crypto, retention, services
from tilskudd.participants.models import ParticipantRecord
from tilskudd.reports import services as report_services

OSLO = dt.timezone(dt.timedelta(hours=1))


def _freezer(stack: contextlib.ExitStack):
    """``freeze_now`` for a builder, which runs outside any test: the clock is set until ``stack`` closes."""

    def freeze(instant: dt.datetime) -> dt.datetime:
        stack.enter_context(mock.patch("django.utils.timezone.now", lambda: instant))
        return instant

    return freeze


def _world_with_duty():
    world = build_world((C0,))
    with contextlib.ExitStack() as stack:
        duty = area_1_duty(world, _freezer(stack))
    return world, duty


#: C0's world with the accepted area-1 grant and its individual report, decided once for the module (deciding,
#: writing the letter and accepting took about a second for each of the nine tests; issue #9, point 7).
duty_world_built = shared_world(_world_with_duty, name="duty_world_built")


@pytest.fixture
def world_and_duty(duty_world_built, db):
    return fresh(duty_world_built)


@pytest.fixture
def world(world_and_duty):
    return world_and_duty[0]


@pytest.fixture
def duty(world_and_duty, freeze_now):
    freeze_now(DECIDED[C0])  # the clock as area_1_duty leaves it
    return world_and_duty[1]


def _raw_columns(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, birth_year, activity, outcome FROM participants_participantrecord WHERE id = %s", [pk]
        )
        return " ".join(cursor.fetchone())


def test_the_personal_fields_are_encrypted_in_the_database_and_readable_through_the_service(world, duty):
    signatory = applicant_of(duty.grant.application)
    row = services.add_participant(signatory, duty.pk, kari())
    raw = _raw_columns(row.pk)
    assert "Kari" not in raw and "Nordmann" not in raw and "1990" not in raw and "barnehage" not in raw
    assert row.informed_at == dt.date(2019, 6, 1)
    found = services.read_participants(world.staff["caseworker"], duty.pk, "Kontroll av individrapporten")
    assert [(p.name, p.birth_year, p.activity, p.outcome) for p in found] == [
        ("Kari Nordmann", 1990, "Språkpraksis i barnehage", "Fast jobb")
    ]
    added = AuditEvent.objects.get(subject_type="reportingduty", subject_id=str(duty.pk), action="participant.added")
    assert "Kari" not in str(added.data) and added.audience == "applicant"


def test_every_read_is_logged_with_who_and_why_and_a_read_without_a_reason_reads_nothing(world, duty):
    services.add_participant(applicant_of(duty.grant.application), duty.pk, kari())
    caseworker = world.staff["caseworker"]
    with pytest.raises(services.ParticipantInvalid) as refused:
        services.read_participants(caseworker, duty.pk, "  ")
    assert refused.value.status == 400 and "reason" in refused.value.errors
    assert not AuditEvent.objects.filter(action="participant.data_read").exists()
    services.read_participants(caseworker, duty.pk, "Kontroll av individrapporten")
    read = AuditEvent.objects.get(action="participant.data_read", subject_id=str(duty.pk))
    assert read.actor_id == caseworker.pk and read.reason == "Kontroll av individrapporten"
    assert read.audience == "internal" and read.data == {"count": 1, "as": "caseworker"}
    assert "Kari" not in str(read.data)


def test_only_the_named_people_and_the_cases_caseworker_may_read(world, duty):
    services.add_participant(applicant_of(duty.grant.application), duty.pk, kari())
    other_org = next(a for a in world.applications[C0] if a.organisation_id != duty.grant.application.organisation_id)
    outsiders = [applicant_of(other_org), world.staff["approver"], world.staff["assessor1"]]
    for person in outsiders:
        with pytest.raises(NotAllowed):
            services.read_participants(person, duty.pk, "Jeg er nysgjerrig på dette")
    assert not AuditEvent.objects.filter(action="participant.data_read").exists()
    # The grantee's signatory reads them too (and is logged as such).
    assert services.read_participants(applicant_of(duty.grant.application), duty.pk, "Retter opp en feil i navnet")
    assert AuditEvent.objects.get(action="participant.data_read").data["as"] == "grantee"


def test_bad_input_is_refused_beside_the_field_and_stores_nothing(duty):
    signatory = applicant_of(duty.grant.application)
    with pytest.raises(services.ParticipantInvalid) as refused:
        services.add_participant(signatory, duty.pk, kari(name="", birth_year=1850, informed_at=None))
    assert set(refused.value.errors) == {"name", "birth_year", "informed_at"}
    assert not ParticipantRecord.objects.exists()


def test_without_a_key_nothing_is_stored(duty, settings):
    settings.PARTICIPANT_DATA_KEYS = []
    with pytest.raises(crypto.KeysMissing) as refused:
        services.add_participant(applicant_of(duty.grant.application), duty.pk, kari())
    assert "PARTICIPANT_DATA_KEYS" in refused.value.reason("en")
    assert not ParticipantRecord.objects.exists()


def test_key_rotation_keeps_the_data_readable_with_the_new_key_only(world, duty, settings):
    old = settings.PARTICIPANT_DATA_KEYS[0]
    services.add_participant(applicant_of(duty.grant.application), duty.pk, kari())
    new = Fernet.generate_key().decode()
    settings.PARTICIPANT_DATA_KEYS = [new, old]
    call_command("rotate_participant_keys", verbosity=0)
    settings.PARTICIPANT_DATA_KEYS = [new]
    found = services.read_participants(world.staff["caseworker"], duty.pk, "Kontroll etter nøkkelbytte")
    assert found[0].name == "Kari Nordmann"
    settings.PARTICIPANT_DATA_KEYS = [old]
    with pytest.raises(crypto.Undecryptable):
        services.read_participants(world.staff["caseworker"], duty.pk, "Kontroll med den gamle nøkkelen")


def test_the_individual_report_is_delivered_once_it_has_participants(duty):
    signatory = applicant_of(duty.grant.application)
    assert not report_services.can_deliver(signatory, duty)
    services.add_participant(signatory, duty.pk, kari())
    assert report_services.can_deliver(signatory, duty)
    report = report_services.deliver_report(signatory, duty.pk, report_services.Delivery())
    assert report.duty_id == duty.pk
    with pytest.raises(NotAllowed):  # delivered: no more participants
        services.add_participant(signatory, duty.pk, kari(name="Ola Nordmann"))


def test_deletion_after_the_calls_retention_removes_the_rows_logs_counts_and_a_second_run_deletes_nothing(
    duty, freeze_now, capsys
):
    signatory = applicant_of(duty.grant.application)
    services.add_participant(signatory, duty.pk, kari())
    services.add_participant(signatory, duty.pk, kari(name="Ola Nordmann", birth_year=1985))
    # Never approved and no due date: 60 months from the day the last participant was added (3 June 2019).
    assert retention.retention_months(duty) == 60
    assert retention.expires_on(duty) == dt.date(2024, 6, 3)
    freeze_now(dt.datetime(2024, 6, 2, 12, 0, tzinfo=OSLO))
    call_command("delete_participant_data")
    assert ParticipantRecord.objects.filter(duty=duty).count() == 2
    assert "Slettet / deleted: 0" in capsys.readouterr().out
    freeze_now(dt.datetime(2024, 6, 3, 12, 0, tzinfo=OSLO))
    call_command("delete_participant_data")
    out = capsys.readouterr().out
    assert not ParticipantRecord.objects.filter(duty=duty).exists()
    assert f"duty {duty.pk}: 2 " in out and "Kari" not in out
    event = AuditEvent.objects.get(action="participant.data_deleted", subject_id=str(duty.pk))
    assert event.data == {"count": 2, "retention_months": 60, "counted_from": "2019-06-03", "expired_on": "2024-06-03"}
    assert event.audience == "internal" and event.actor_id is None
    call_command("delete_participant_data")
    assert "Slettet / deleted: 0" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="participant.data_deleted").count() == 1


def test_the_months_are_counted_from_the_reports_approval(duty):
    duty.status = "approved"
    duty.status_changed_at = dt.datetime(2020, 3, 31, 23, 30, tzinfo=dt.UTC)  # 1 April in Oslo
    assert retention.counted_from(duty) == dt.date(2020, 4, 1)
    assert retention.expires_on(duty) == dt.date(2025, 4, 1)
    assert retention.add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
