"""The decision e-mail is queued in the publication's own transaction (issue #8 point 5, as for receipts)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from tests.grants.test_decisions_helpers import amount_applied, install_frames, ready_for_decision
from tests.staff_world import C0
from tilskudd.grants.decisions import services

NOTIFY_TASK = "tilskudd.grants.tasks.notify_decision"


@pytest.fixture
def world(fresh_casework_world, monkeypatch, settings):
    fresh_casework_world.frames = install_frames(monkeypatch)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return fresh_casework_world


# The worker commits and closes stale connections itself, as in production: no wrapping test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_crash_right_after_publishing_cannot_lose_the_decision_emails(world):
    from django_tasks_db.models import DBTaskResult

    c0 = world.applications[C0]
    caseworker, approver = world.staff["caseworker"], world.staff["approver"]
    decisions = []
    for application in c0[:2]:
        ready_for_decision(application, caseworker)
        decisions.append(
            services.prepare_decision(caseworker, application.pk, "grant", amount=amount_applied(application) // 2)
        )
    for decision in decisions:
        services.approve(approver, decision.pk)
    mail.outbox.clear()

    with mock.patch("django.db.transaction.on_commit"):  # a crash: nothing after the commit runs
        published = services.publish(approver, world.calls[C0], world.imdi.org_number)

    assert len(published) == 2
    queued = DBTaskResult.objects.filter(task_path=NOTIFY_TASK, status="READY")
    assert sorted(row.args_kwargs["args"][0] for row in queued) == sorted(d.pk for d in decisions)
    call_command("task_worker", batch=True, startup_delay=False, reload=False, reap_every=0, verbosity=0)
    assert len(mail.outbox) == 2
