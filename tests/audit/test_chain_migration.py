"""Events written before the hash chain existed are chained by the migration, in the order they were written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tilskudd.audit import chain

BEFORE = [("audit", "0002_audience")]
AFTER = [("audit", "0005_append_only")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_already_written(every_migration_after):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event = old.get_model("audit", "AuditEvent")
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    for minutes, (subject_id, action) in enumerate(
        [("1", "application.created"), ("2", "application.created"), ("1", "draft.saved"), ("1", "application.submit")]
    ):
        event = Event.objects.create(subject_type="application", subject_id=subject_id, action=action, data={"n": minutes})
        Event.objects.filter(pk=event.pk).update(at=start + dt.timedelta(minutes=minutes))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from tilskudd.audit.models import AuditEvent, AuditStreamHead

    first = list(AuditEvent.objects.filter(stream="application:1").order_by("sequence"))
    assert [(e.sequence, e.action) for e in first] == [(1, "application.created"), (2, "draft.saved"), (3, "application.submit")]
    assert first[1].prev_hash == first[0].hash and first[2].prev_hash == first[1].hash
    assert AuditStreamHead.objects.get(stream="application:1").sequence == 3
    assert AuditStreamHead.objects.get(stream="application:2").hash == AuditEvent.objects.get(stream="application:2").hash
    assert chain.verify() == []
