"""A crash half-way through the reminders (issue #12, point 4): each reminder's row and its e-mail task are
written together, one offer or duty at a time, so the next run sends the rest and nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.reminders.helpers import DUE, at, grantee_addresses, offer
from tests.staff_world import C0
from tilskudd.reminders import services
from tilskudd.reminders.models import Reminder

SEND_TASK = "tilskudd.reminders.tasks.send_reminder"


@pytest.fixture
def world(fresh_casework_world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return fresh_casework_world


def _work() -> None:
    call_command("task_worker", batch=True, startup_delay=False, reload=False, reap_every=0, verbosity=0)


# The worker commits and closes stale connections itself, as in production: no wrapping test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_crash_between_two_offers_sends_the_first_and_the_next_run_the_second(world, freeze_now, monkeypatch):
    first = offer(world, freeze_now, world.applications[C0][0])
    second = offer(world, freeze_now, world.applications[C0][1])
    first_people, second_people = grantee_addresses(first), grantee_addresses(second)
    freeze_now(at(DUE - dt.timedelta(days=3)))
    _work()  # the decision e-mails
    mail.outbox.clear()

    real = services.background.enqueue_in_transaction

    def crash_on_the_second(task, reminder_id, **kwargs):
        real(task, reminder_id, **kwargs)  # the row and its task are written …
        if Reminder.objects.get(pk=reminder_id).grant_id == second.pk:
            raise RuntimeError("the machine stopped")  # … and the transaction never commits

    monkeypatch.setattr(services.background, "enqueue_in_transaction", crash_on_the_second)
    with pytest.raises(RuntimeError):
        call_command("send_reminders", verbosity=0)
    assert Reminder.objects.filter(grant=first).count() == len(first_people)
    assert not Reminder.objects.filter(grant=second).exists()
    assert DBTaskResult.objects.filter(task_path=SEND_TASK, status="READY").count() == len(first_people)
    _work()
    assert {m.to[0] for m in mail.outbox} == first_people and len(mail.outbox) == len(first_people)

    monkeypatch.setattr(services.background, "enqueue_in_transaction", real)
    call_command("send_reminders", verbosity=0)
    call_command("send_reminders", verbosity=0)
    _work()
    assert len(mail.outbox) == len(first_people) + len(second_people)
    assert sorted(m.to[0] for m in mail.outbox[len(first_people) :]) == sorted(second_people)
    assert all(r.sent_at is not None for r in Reminder.objects.all())
    assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == len(first_people) + len(second_people)


@pytest.mark.django_db(transaction=True)
def test_a_task_run_again_after_sending_does_not_send_again(world, freeze_now):
    grant = offer(world, freeze_now, world.applications[C0][0])
    freeze_now(at(DUE))
    _work()
    mail.outbox.clear()
    call_command("send_reminders", verbosity=0)
    _work()
    sent = len(mail.outbox)
    assert sent == len(grantee_addresses(grant))
    DBTaskResult.objects.filter(task_path=SEND_TASK).update(status="READY")  # as the reaper does for a lost worker
    _work()
    assert len(mail.outbox) == sent
