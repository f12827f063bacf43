"""Background tasks that are never lost: queued with the work that needs them, run again when a worker dies.

Two guarantees on top of django-tasks with the database backend (django-tasks-db):

* **Queued in the same transaction.** :func:`enqueue_in_transaction` writes the
  task's row inside the caller's transaction when the backend is the database
  backend, so the task commits or rolls back together with, say, the
  submission: no crash between the commit and the queueing can leave a
  submission without its receipt. Other backends (the immediate backend of the
  tests, which would run the task inside the transaction) get it after commit.
* **A dead worker's task runs again.** A worker marks a task RUNNING and keeps
  no heartbeat; if it is killed the row stays RUNNING for good. :func:`reap`
  puts such tasks back in the queue: at once when the worker ran on this
  machine and its process is gone (our workers' ids name host and process,
  see :func:`worker_id`), else when the task has run longer than the lease
  (``TASKS_LEASE_SECONDS``, default 10 minutes). The tasks it re-queues are
  idempotent (one receipt, one e-mail), so running one twice — a slow but
  living worker past the lease — does no harm. A task whose worker died
  :data:`MAX_RUNS` times is marked failed instead of tried again.

``manage.py task_worker`` is ``db_worker`` with such worker ids and the reaper
run at start and every minute; ``manage.py reap_tasks`` runs the reaper once
(for cron, or when workers are started otherwise).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from tilskudd.audit.services import Audience, AuditAction, record

logger = logging.getLogger(__name__)

#: Runs of one task that may end with a dead worker before the reaper gives up on it.
MAX_RUNS = 5

REQUEUED_ACTION = AuditAction.TASK_REQUEUED
ABANDONED_ACTION = AuditAction.TASK_ABANDONED

_HOST_CHARS = 40  # worker ids are at most 64 characters (django-tasks-db)


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it (recorded on the task the reaper gives up on)."""


# --- queueing -----------------------------------------------------------------------


def in_database(task: Any) -> bool:
    """True when the task's backend keeps its queue in our database (django-tasks-db)."""
    from django_tasks_db import DatabaseBackend  # noqa: PLC0415 - only when tasks are used

    try:
        return isinstance(task.get_backend(), DatabaseBackend)
    except Exception:  # noqa: BLE001 - a misconfigured backend is handled by the after-commit path
        return False


def enqueue_in_transaction(task: Any, *args: Any, after_commit: Callable[[], None]) -> None:
    """Queue ``task(*args)`` as part of the current transaction.

    With the database backend the task's row is written now, in the caller's
    transaction: the worker cannot see it before the commit and it is gone if
    the transaction rolls back. A failure to write it fails the transaction,
    so there is never the one without the other. Any other backend would run
    or send the task before the commit, so ``after_commit`` is called once the
    transaction has committed instead (it should queue the task and log, not
    raise, on failure).
    """
    if in_database(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(after_commit)


def pending(task: Any, *args: Any) -> bool:
    """True when a run of ``task`` whose arguments start with ``args`` is queued or running (database backend)."""
    if not in_database(task):
        return False
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    rows = DBTaskResult.objects.filter(task_path=task.module_path, status__in=["READY", "RUNNING"])
    for index, value in enumerate(args):
        rows = rows.filter(**{f"args_kwargs__args__{index}": value})
    return rows.exists()


# --- workers ------------------------------------------------------------------------


def _host() -> str:
    return socket.gethostname()[:_HOST_CHARS]


def worker_id() -> str:
    """An id for a worker process that names where it runs: ``host:pid:random``."""
    return f"{_host()}:{os.getpid()}:{get_random_string(8)}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by another user
    try:  # a killed process its parent has not yet waited for (a zombie) runs nothing
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}


def worker_gone(worker: str) -> bool:
    """True when the worker ran on this machine and its process no longer exists; unknown workers are not gone."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != _host():
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    return pid != os.getpid() and not _process_alive(pid)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS)


# --- the reaper ---------------------------------------------------------------------


@dataclass
class Reaped:
    requeued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)


def reap(*, lease_for: dt.timedelta | None = None, now: dt.datetime | None = None) -> Reaped:
    """Put RUNNING tasks whose worker is gone (or whose lease ran out) back in the queue; one transaction.

    Each decision is an internal audit event on the task row. Rows another
    reaper holds are skipped (``SKIP LOCKED``), so reapers may run at once.
    """
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    now = now or timezone.now()
    cutoff = now - (lease_for if lease_for is not None else lease())
    done = Reaped()
    with transaction.atomic():
        for row in DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("started_at"):
            last_worker = row.worker_ids[-1] if row.worker_ids else ""
            started = row.started_at or row.enqueued_at
            if worker_gone(last_worker):
                why = f"worker {last_worker} is gone"
            elif started < cutoff:
                why = f"running since {started.isoformat()}, past the lease"
            else:
                continue
            data = {"task": row.task_path, "args": row.args_kwargs.get("args", []), "worker": last_worker, "why": why}
            if len(row.worker_ids) >= MAX_RUNS:
                row.status = "FAILED"
                row.finished_at = now
                row.return_value = None
                row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                row.traceback = (
                    f"{WorkerLost.__name__}: {why}; its worker stopped {len(row.worker_ids)} times, not run again"
                )
                row.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
                record(None, row, ABANDONED_ACTION, data=data, audience=Audience.INTERNAL)
                logger.error("Task %s (%s) given up: %s, %s runs", row.pk, row.task_path, why, len(row.worker_ids))
                done.abandoned.append(str(row.pk))
            else:
                row.status = "READY"
                row.save(update_fields=["status"])
                record(None, row, REQUEUED_ACTION, data=data, audience=Audience.INTERNAL)
                logger.warning("Task %s (%s) queued again: %s", row.pk, row.task_path, why)
                done.requeued.append(str(row.pk))
    return done
