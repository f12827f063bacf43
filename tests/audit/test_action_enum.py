"""Audit actions are one enum (issue #9, point 6): ``record()`` takes only its members, every move of the
application's state machine has one, and migration 0006 renames the stray spellings written before,
re-chaining the streams it touches so ``tilskudd audit verify`` still finds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tilskudd.applications.states import TRANSITIONS, audit_action
from tilskudd.audit import chain
from tilskudd.audit.actions import RENAMED, AuditAction
from tilskudd.audit.models import AuditEvent, AuditStreamHead
from tilskudd.audit.services import Audience, record

BEFORE = [("audit", "0005_append_only")]
AFTER = [("audit", "0006_action_enum")]


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user(email="kari@example.no", password="x-Long-enough-1")


def test_record_refuses_a_plain_string(db, person):
    with pytest.raises(TypeError, match="AuditAction"):
        record(person, person, "account.registered", audience=Audience.APPLICANT)
    with pytest.raises(TypeError):
        record(person, person, "decisions.published", audience=Audience.INTERNAL)
    event = record(person, person, AuditAction.ACCOUNT_REGISTERED, audience=Audience.APPLICANT)
    event.refresh_from_db()
    assert event.action == "account.registered"


def test_every_move_of_the_application_has_an_action():
    assert {audit_action(move) for move in TRANSITIONS.values()} == {
        AuditAction.APPLICATION_SUBMITTED,
        AuditAction.APPLICATION_WITHDRAWN,
        AuditAction.APPLICATION_REOPENED,
        AuditAction.APPLICATION_ACCEPTED,
        AuditAction.APPLICATION_GRANTED,
        AuditAction.APPLICATION_REFUSED,
        AuditAction.APPLICATION_REJECTED,
        AuditAction.APPLICATION_REOPENED_AFTER_COMPLAINT,
    }


def test_one_spelling_each():
    values = [member.value for member in AuditAction]
    assert len(values) == len(set(values))
    assert not set(RENAMED) & set(values), "an old spelling is still a member"
    for value in values:
        subject, _, what = value.partition(".")
        assert subject and what and value == value.lower(), value
    assert "decisions.published" not in values and "decision.published" in values


class _Writer:
    """Writes chained events with the historical models of 0005, as ``record()`` did before the enum."""

    def __init__(self, apps):
        self.Event = apps.get_model("audit", "AuditEvent")
        self.Head = apps.get_model("audit", "AuditStreamHead")
        self.at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def write(self, subject_type, subject_id, action, *, prev_hash=None):
        stream = chain.stream_of(subject_type, subject_id)
        head = self.Head.objects.filter(stream=stream).first()
        self.at += dt.timedelta(minutes=1)
        event = self.Event(
            at=self.at,
            subject_type=subject_type,
            subject_id=subject_id,
            action=action,
            data={"n": 1},
            audience="applicant",
            stream=stream,
            sequence=head.sequence + 1 if head else 1,
            prev_hash=(head.hash if head else "") if prev_hash is None else prev_hash,
        )
        event.hash = chain.compute_hash(event)
        event.save()
        if prev_hash is not None:
            return event  # a forged insert: the head is not moved
        if head is None:
            self.Head.objects.create(stream=stream, sequence=event.sequence, hash=event.hash)
        else:
            self.Head.objects.filter(pk=head.pk).update(sequence=event.sequence, hash=event.hash)
        return event


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _streams():
    events = {e.pk: (e.stream, e.sequence, e.action, e.hash) for e in AuditEvent.objects.all()}
    heads = {h.stream: (h.sequence, h.hash) for h in AuditStreamHead.objects.all()}
    return events, heads


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_the_stray_spellings_and_rechains_their_streams(capsys, every_migration_after):
    old = _migrate(BEFORE)
    writer = _Writer(old)
    submitted = [
        writer.write("application", "1", "application.created"),
        writer.write("application", "1", "draft.saved"),
        writer.write("application", "1", "application.submit"),
        writer.write("application", "1", "receipt.created"),
        writer.write("application", "1", "application.accept"),
    ]
    untouched = writer.write("organisation", "7", "organisation.registered")
    batch = writer.write("call", "3", "decisions.published")
    # A stream that was broken before the migration (an event inserted past the chain): left as it is.
    writer.write("application", "2", "application.submit")
    forged = writer.write("application", "2", "application.grant", prev_hash="0" * 64)
    before = chain.verify()
    assert [(f.stream, f.kind, f.event_id) for f in before] == [("application:2", "inserted", forged.pk)]
    events_before, heads_before = _streams()

    _migrate(AFTER)

    first = list(AuditEvent.objects.filter(stream="application:1").order_by("sequence"))
    assert [e.action for e in first] == [
        "application.created",
        "draft.saved",
        "application.submitted",
        "receipt.created",
        "application.accepted",
    ]
    assert first[0].hash == submitted[0].hash and first[1].hash == submitted[1].hash  # before the first rename
    assert first[2].hash != submitted[2].hash and first[4].hash != submitted[4].hash
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(first, first[1:], strict=False))
    assert AuditStreamHead.objects.get(stream="application:1").hash == first[-1].hash
    assert AuditEvent.objects.get(pk=batch.pk).action == AuditAction.CALL_DECISIONS_PUBLISHED
    assert AuditEvent.objects.get(pk=untouched.pk).hash == events_before[untouched.pk][3]
    broken = {pk: row for pk, row in _streams()[0].items() if row[0] == "application:2"}
    assert broken == {pk: row for pk, row in events_before.items() if row[0] == "application:2"}
    assert _streams()[1]["application:2"] == heads_before["application:2"]
    assert [(f.stream, f.kind, f.event_id) for f in chain.verify()] == [("application:2", "inserted", forged.pk)]
    assert not set(AuditEvent.objects.exclude(stream="application:2").values_list("action", flat=True)) & set(RENAMED)

    # Reversible: the old spellings come back and the chains still hold.
    _migrate(BEFORE)
    assert [e.action for e in AuditEvent.objects.filter(stream="application:1").order_by("sequence")][2::2] == [
        "application.submit",
        "application.accept",
    ]
    assert [(f.stream, f.kind) for f in chain.verify()] == [("application:2", "inserted")]

    _migrate(_leaf())


def _leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("audit")


@pytest.mark.django_db(transaction=True)
def test_after_the_migration_audit_verify_reports_nothing(capsys, every_migration_after):
    writer = _Writer(_migrate(BEFORE))
    for action in (
        "application.created",
        "application.submit",
        "application.reopen",
        "application.submit",
        "application.accept",
        "application.grant",
    ):
        writer.write("application", "5", action)
    writer.write("application", "6", "application.withdraw")
    writer.write("call", "1", "decisions.published")
    _migrate(_leaf())
    with pytest.raises(SystemExit) as done:
        call_command("audit", "verify")
    assert done.value.code == 0
    assert "The audit trail is whole: 8 events in 3 streams" in capsys.readouterr().out
