"""Two runs of the reminder command at the same moment send each reminder once (issue #12, point 4; PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from tests.reminders.helpers import DUE, at, grantee_addresses, offer
from tests.staff_world import C0
from tilskudd.reminders import services
from tilskudd.reminders.models import Reminder


@pytest.fixture
def postgres_only():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (row locks, concurrent inserts); run with DATABASE_URL=postgres://…")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(postgres_only, fresh_casework_world, freeze_now, monkeypatch):
    grants = [offer(fresh_casework_world, freeze_now, a) for a in fresh_casework_world.applications[C0][:2]]
    people = sum(len(grantee_addresses(g)) for g in grants)
    freeze_now(at(DUE - dt.timedelta(days=14)))
    mail.outbox.clear()

    real = services.kind_for

    def slow(*args, **kwargs):  # widen the window between reading the subject and writing its reminders
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "kind_for", slow)
    start = threading.Barrier(2)
    outcomes = ["", ""]

    def run(index):
        try:
            start.wait(timeout=10)
            services.remind()
            outcomes[index] = "ok"
        except Exception as error:  # noqa: BLE001 — reported in the assertion
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["ok", "ok"], outcomes
    assert Reminder.objects.count() == people
    assert len(mail.outbox) == people  # the immediate backend sends after each commit
    assert len({tuple(m.to) + (m.subject,) for m in mail.outbox}) == people
