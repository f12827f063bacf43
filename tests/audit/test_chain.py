"""The audit trail is tamper-evident (issue #8, point 6): every event is chained by hash in its
subject's stream, and ``tilskudd audit verify`` names the first edited, inserted or deleted event."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.cli.conftest import run  # noqa: F401 - the ``tilskudd …`` runner fixture
from tilskudd.audit import chain
from tilskudd.audit.models import AuditEvent, AuditStreamHead
from tilskudd.audit.services import Audience, AuditAction, record


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user(email="kari@example.no", password="x-Long-enough-1")


@pytest.fixture
def stream_of_three(db, person):
    """Three events on one subject, and one on another (a second stream)."""
    events = [
        record(person, person, AuditAction.ACCOUNT_REGISTERED, audience=Audience.APPLICANT),
        record(person, person, AuditAction.ACCOUNT_TWO_FACTOR_ENABLED, reason="Første gang", audience=Audience.APPLICANT),
        record(person, person, AuditAction.ACCOUNT_BACKUP_CODES_RENEWED, data={"n": (1, 2)}, audience=Audience.APPLICANT),
    ]
    other = record(None, events[0], AuditAction.TASK_REQUEUED, audience=Audience.INTERNAL)
    return events, other


def sql(statement: str, params=()) -> None:
    """Raw SQL as someone with database access would run it; on PostgreSQL past the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred foreign-key checks pending before ALTER
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute("ALTER TABLE audit_auditstreamhead DISABLE TRIGGER audit_stream_head_forward_only")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
            cursor.execute("ALTER TABLE audit_auditstreamhead ENABLE TRIGGER audit_stream_head_forward_only")


def test_events_of_one_subject_are_numbered_and_chained(stream_of_three, person):
    events, other = stream_of_three
    stream = f"user:{person.pk}"
    assert [(e.stream, e.sequence) for e in events] == [(stream, 1), (stream, 2), (stream, 3)]
    assert events[0].prev_hash == ""
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert len({e.hash for e in events}) == 3
    assert (other.stream, other.sequence, other.prev_hash) == (f"auditevent:{events[0].pk}", 1, "")
    head = AuditStreamHead.objects.get(stream=stream)
    assert (head.sequence, head.hash) == (3, events[2].hash)
    # What was hashed is what the database gives back (the tuple came back a list).
    for event in AuditEvent.objects.all():
        assert chain.compute_hash(event) == event.hash


def test_every_writer_must_say_who_may_read_the_event(db, person):
    with pytest.raises(TypeError):
        record(person, person, AuditAction.ACCOUNT_REGISTERED)  # no audience


def test_verify_says_a_whole_trail_is_whole(stream_of_three, run):  # noqa: F811
    assert chain.verify() == []
    code, out, _ = run("audit", "verify")
    assert code == 0
    assert "Loggen er hel: 4 hendelser i 2 strømmer" in out
    assert "The audit trail is whole" in out


def test_verify_reports_an_edited_event(stream_of_three, run):  # noqa: F811
    events, _ = stream_of_three
    sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["Noe annet", events[1].pk])
    code, out, _ = run("audit", "verify")
    assert code == 1
    assert f"Endret: Hendelse {events[1].pk} (account.two_factor_enabled, nr. 2 i {events[1].stream})" in out
    assert f"Edited: Event {events[1].pk}" in out
    [finding] = chain.verify()
    assert (finding.kind, finding.event_id, finding.stream) == ("edited", events[1].pk, events[1].stream)


def test_verify_reports_an_edited_timestamp_or_audience(stream_of_three):
    events, _ = stream_of_three
    sql("UPDATE audit_auditevent SET audience = %s WHERE id = %s", ["internal", events[0].pk])
    [finding] = chain.verify()
    assert (finding.kind, finding.event_id) == ("edited", events[0].pk)


def test_verify_reports_a_deleted_event(stream_of_three, run):  # noqa: F811
    events, _ = stream_of_three
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, out, _ = run("audit", "verify")
    assert code == 1
    assert f"Slettet: hendelse nr. 2 i {events[1].stream} mangler (før hendelse {events[2].pk})" in out
    assert f"Deleted: event no. 2 in {events[1].stream} is missing" in out
    [finding] = chain.verify()
    assert (finding.kind, finding.event_id) == ("deleted", events[2].pk)


def test_verify_reports_the_deleted_last_event_of_a_stream(stream_of_three):
    events, _ = stream_of_three
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    [finding] = chain.verify()
    assert finding.kind == "deleted" and finding.stream == events[2].stream
    assert f"Slettet: hendelse nr. 3 i {events[2].stream} mangler" in finding.nb


def test_verify_reports_an_inserted_event_even_with_a_correct_hash(stream_of_three, person):
    events, _ = stream_of_three
    forged = AuditEvent(
        at=events[2].at, actor=person, subject_type="user", subject_id=str(person.pk), action="account.password_reset",
        stream=events[2].stream, sequence=4, prev_hash=events[2].hash, audience="applicant", data={},
    )
    forged.hash = chain.compute_hash(forged)
    sql(
        "INSERT INTO audit_auditevent (at, actor_id, subject_type, subject_id, action, from_state, to_state, reason, data,"
        " audience, stream, sequence, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, '', '', '', '{}', %s, %s, %s, %s, %s)",
        [forged.at, person.pk, "user", str(person.pk), forged.action, "applicant", forged.stream, 4, forged.prev_hash,
         forged.hash],
    )
    inserted = AuditEvent.objects.get(stream=forged.stream, sequence=4)
    [finding] = chain.verify()
    assert (finding.kind, finding.event_id) == ("inserted", inserted.pk)
    assert finding.nb.startswith(f"Satt inn: Hendelse {inserted.pk}")


def test_verify_reports_an_event_inserted_in_a_stream_of_its_own(stream_of_three):
    sql(
        "INSERT INTO audit_auditevent (at, subject_type, subject_id, action, from_state, to_state, reason, data,"
        " audience, stream, sequence, prev_hash, hash) VALUES (CURRENT_TIMESTAMP, 'application', '999', 'application.granted',"
        " '', '', '', '{}', 'applicant', 'application:999', 1, '', 'abc')"
    )
    [finding] = chain.verify()
    assert finding.kind in {"inserted", "edited"} and finding.stream == "application:999"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_to_update_or_delete_an_event(stream_of_three):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the append-only trigger); run with DATABASE_URL=postgres://…")
    from django.db import DatabaseError, transaction

    events, _ = stream_of_three
    for statement in (
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [events[0].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    head = AuditStreamHead.objects.get(stream=events[0].stream)
    for statement in (
        "UPDATE audit_auditstreamhead SET sequence = 2 WHERE id = %s",
        "DELETE FROM audit_auditstreamhead WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="one event on"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [head.pk])
    assert AuditEvent.objects.get(pk=events[0].pk).reason == ""
    assert chain.verify() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_stream_at_once_do_not_fork_it(person):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (advisory locks between connections); run with DATABASE_URL=postgres://…")
    import threading

    from django.db import connections, transaction

    start = threading.Barrier(4)
    errors = []

    def write(n):
        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    record(None, person, AuditAction.ACCOUNT_CHANGED_IN_ADMIN, data={"write": f"{n}_{i}"}, audience=Audience.INTERNAL)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stream = f"user:{person.pk}"
    assert list(AuditEvent.objects.filter(stream=stream).order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, 21)
    )
    assert chain.verify() == []


def test_there_is_no_admin_for_audit_events():
    from django.contrib import admin

    from tilskudd.audit.models import AuditStreamHead as Head

    registered = set(admin.site._registry)
    assert AuditEvent not in registered and Head not in registered
