"""Never lose a receipt (issue #8, point 5): the task is queued with the submission, and a dead worker's task runs again.

The tests with a real worker process (killed with SIGKILL in the middle of a
receipt) need PostgreSQL: the worker is another process and must see the test
database (``DATABASE_URL=postgres://…``); on SQLite they are skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

RECEIPT_TASK = "tilskudd.applications.tasks.make_receipt"
CRASH_WORKER = Path(__file__).resolve().parent / "crash_worker.py"
ROOT = Path(__file__).resolve().parents[2]


class Crash(Exception):
    """Something that fails the submission's transaction after submit() did its part."""


@pytest.fixture
def database_queue(settings):
    """The database task backend, as in production (a worker runs the tasks)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def receipt_tasks(application_id):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=RECEIPT_TASK, args_kwargs__args__0=application_id)


def receipts_of(application_id):
    from tilskudd.applications.models import Document

    return Document.objects.filter(application_id=application_id, kind=Document.Kind.RECEIPT)


def sent_events(application_id):
    from tilskudd.applications.receipts import SENT_ACTION
    from tilskudd.audit.models import AuditEvent

    return AuditEvent.objects.filter(subject_type="application", subject_id=str(application_id), action=SENT_ACTION)


def run_worker_batch():
    from django.core.management import call_command

    call_command("task_worker", batch=True, startup_delay=False, reload=False, reap_every=0, verbosity=0)


def count_in_another_connection(application_id) -> int:
    """How many receipt tasks a worker (another connection) sees right now."""
    from django.db import connections

    seen: list[int] = []

    def look():
        try:
            seen.append(receipt_tasks(application_id).count())
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join(timeout=10)
    return seen[0]


# --- queued in the submission's transaction -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_receipt_task_commits_and_rolls_back_with_the_submission(signed_draft, lead, database_queue):
    from tilskudd.applications import services
    from tilskudd.applications.models import Application
    from tilskudd.applications.states import Status

    with pytest.raises(Crash):
        with transaction.atomic():
            services.submit(lead, signed_draft.pk)
            # written in the same transaction …
            assert receipt_tasks(signed_draft.pk).filter(status="READY").count() == 1
            if connection.vendor == "postgresql":
                # … and invisible to a worker until it commits
                assert count_in_another_connection(signed_draft.pk) == 0
            raise Crash

    # rolled back together: no task, no submission
    assert not receipt_tasks(signed_draft.pk).exists()
    application = Application.objects.get(pk=signed_draft.pk)
    assert application.status != Status.SUBMITTED
    assert application.submitted_at is None

    services.submit(lead, signed_draft.pk)
    assert receipt_tasks(signed_draft.pk).filter(status="READY").count() == 1
    if connection.vendor == "postgresql":
        assert count_in_another_connection(signed_draft.pk) == 1


@pytest.mark.django_db(transaction=True)
def test_a_crash_right_after_the_commit_cannot_lose_the_receipt(signed_draft, lead, database_queue):
    """The process dies as the submission commits: nothing after the commit runs (no on_commit hook)."""
    from tilskudd.applications import services

    with mock.patch("django.db.transaction.on_commit"):  # a crash: after-commit work never happens
        result = services.submit(lead, signed_draft.pk)
    assert result.created

    assert receipt_tasks(signed_draft.pk).filter(status="READY").count() == 1
    run_worker_batch()
    assert receipts_of(signed_draft.pk).count() == 1
    assert sent_events(signed_draft.pk).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_retried_submission_queues_a_lost_receipt_once_and_never_a_second_receipt(signed_draft, lead, database_queue):
    from tilskudd.applications import services
    from tilskudd.applications.receipts import REQUEUED_ACTION
    from tilskudd.audit.models import Audience, AuditEvent

    services.submit(lead, signed_draft.pk)
    receipt_tasks(signed_draft.pk).delete()  # lost: submitted before the task was written in the same transaction

    first_retry = services.submit(lead, signed_draft.pk)
    second_retry = services.submit(lead, signed_draft.pk)

    assert (first_retry.created, second_retry.created) == (False, False)
    assert receipt_tasks(signed_draft.pk).count() == 1  # queued again, once
    [event] = AuditEvent.objects.filter(subject_id=str(signed_draft.pk), action=REQUEUED_ACTION)
    assert event.audience == Audience.INTERNAL

    run_worker_batch()
    services.submit(lead, signed_draft.pk)  # a late retry once the receipt exists queues nothing
    assert receipt_tasks(signed_draft.pk).count() == 1
    assert receipts_of(signed_draft.pk).count() == 1
    assert len(mail.outbox) == 1


# --- the reaper ---------------------------------------------------------------------


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running_task(application_id, worker: str, started: dt.datetime):
    from tilskudd.applications.tasks import make_receipt

    result = make_receipt.enqueue(application_id)
    row = result.db_result
    row.status, row.worker_ids, row.started_at = "RUNNING", [worker], started
    row.save(update_fields=["status", "worker_ids", "started_at"])
    return row


@pytest.mark.django_db(transaction=True)
def test_the_reaper_queues_again_a_task_whose_worker_is_gone_and_leaves_living_workers_alone(
    signed_draft, database_queue, settings
):
    from tilskudd import background
    from tilskudd.audit.models import Audience, AuditEvent

    host = background.worker_id().rsplit(":", 2)[0]
    now = timezone.now()
    settings.TASKS_LEASE_SECONDS = 600
    dead_here = running_task(signed_draft.pk, f"{host}:{dead_pid()}:abc", now)
    alive_here = running_task(signed_draft.pk, f"{host}:{os.getppid()}:abc", now - dt.timedelta(minutes=1))
    elsewhere_recent = running_task(signed_draft.pk, "other-host:123:abc", now - dt.timedelta(minutes=1))
    elsewhere_past_lease = running_task(signed_draft.pk, "other-host:124:abc", now - dt.timedelta(minutes=11))
    unknown_worker_past_lease = running_task(signed_draft.pk, "a1b2c3", now - dt.timedelta(minutes=11))

    reaped = background.reap()

    assert sorted(reaped.requeued) == sorted(
        str(row.pk) for row in (dead_here, elsewhere_past_lease, unknown_worker_past_lease)
    )
    for row in (dead_here, elsewhere_past_lease, unknown_worker_past_lease):
        row.refresh_from_db()
        assert row.status == "READY"
    for row in (alive_here, elsewhere_recent):
        row.refresh_from_db()
        assert row.status == "RUNNING"
    events = AuditEvent.objects.filter(action=background.REQUEUED_ACTION)
    assert events.count() == 3
    assert {event.audience for event in events} == {Audience.INTERNAL}
    assert background.reap().requeued == []  # nothing left to do


@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_killing_its_worker_is_given_up_not_run_for_ever(signed_draft, database_queue):
    from tilskudd import background

    host = background.worker_id().rsplit(":", 2)[0]
    row = running_task(signed_draft.pk, f"{host}:{dead_pid()}:abc", timezone.now())
    row.worker_ids = [f"{host}:{dead_pid()}:{n}" for n in range(background.MAX_RUNS)]
    row.save(update_fields=["worker_ids"])

    reaped = background.reap()

    row.refresh_from_db()
    assert reaped.abandoned == [str(row.pk)]
    assert row.status == "FAILED"
    assert row.exception_class_path == "tilskudd.background.WorkerLost"
    assert "stopped 5 times" in row.traceback


def test_reap_tasks_refuses_a_negative_lease(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--lease"):
        call_command("reap_tasks", lease=-1)


# --- a real worker, killed in the middle of a receipt (PostgreSQL) --------------------


def live_database_url() -> str:
    """DATABASE_URL with the test database's name, for a worker in another process."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


def start_worker(tmp_path: Path, media_root: Path, hang_at: str, *options: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": live_database_url(),
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(media_root),
        "CRASH_MAIL_DIR": str(tmp_path / "mail"),
        "CRASH_MARKER": str(tmp_path / "hanging"),
        "CRASH_HANG_AT": hang_at,
    }
    return subprocess.Popen(
        [sys.executable, str(CRASH_WORKER), "--no-reload", "--no-startup-delay", "--interval", "0.2", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, process: subprocess.Popen, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the worker ended before {what}:\n{process.stdout.read().decode()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"no {what} within {seconds} s:\n{process.communicate()[0].decode()}")
        time.sleep(0.1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("hang_at", ["rendering", "after_email"])
def test_a_killed_worker_leaves_no_receipt_behind_and_none_twice(
    hang_at, signed_draft, lead, database_queue, media_root, tmp_path
):
    """SIGKILL while the receipt task runs: the reaper queues it again, a new worker finishes it — one PDF, one e-mail."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker is another process; run with DATABASE_URL=postgres://…")
    from tilskudd.applications import services

    (tmp_path / "mail").mkdir()
    services.submit(lead, signed_draft.pk)
    [task] = receipt_tasks(signed_draft.pk)

    worker = start_worker(tmp_path, media_root, hang_at)
    try:
        wait_for((tmp_path / "hanging").exists, worker, 20, "receipt task at the hang point")
        task.refresh_from_db()
        assert task.status == "RUNNING"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    task.refresh_from_db()
    assert task.status == "RUNNING"  # left «running» by the dead worker

    from django.core.management import call_command

    call_command("reap_tasks", verbosity=0)  # the worker's process is gone: no need to wait for the lease
    task.refresh_from_db()
    assert task.status == "READY"

    second = start_worker(tmp_path, media_root, "", "--batch")
    try:
        output = second.communicate(timeout=25)[0].decode()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert second.returncode == 0, output

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 2
    assert receipts_of(signed_draft.pk).count() == 1
    assert sent_events(signed_draft.pk).count() == 1
    mails = list((tmp_path / "mail").iterdir())
    assert len(mails) == 1, [m.read_text()[:200] for m in mails]
    assert "kvittering" in mails[0].read_text().lower()
