"""Background tasks for applications (django-tasks; run by ``manage.py task_worker``), and their queueing.

The backend is chosen in settings (``TASKS``): the database backend in
production and ``make run``, the immediate backend in tests. A task takes only
JSON-serialisable arguments (the application id) and reads the rest from the
database, so running it again is safe.

``services.submit`` calls :func:`queue_receipt_with_submission` inside the
submission's transaction (with the database backend the task row commits with
the submission), and :func:`ensure_receipt` when a client retries an
application already submitted. The work itself is in :mod:`receipts`, imported where it is used: it pulls in
the rule engine and the PDF library, which management commands and the worker need not load at start
(issue #13, point 11).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from tilskudd import background
from tilskudd.applications.models import Application
from tilskudd.audit.services import Audience, record

logger = logging.getLogger(__name__)

#: Attempts before a receipt task gives up (a person can queue it again: tasks.queue_missing_receipts()).
MAX_ATTEMPTS = 5


def retry_delay(attempt: int) -> dt.timedelta:
    """1, 4, 16, 64 minutes … after the first, second, third … failed attempt."""
    return dt.timedelta(minutes=4 ** (attempt - 1))


@task()
def make_receipt(application_id: int, attempt: int = 1) -> str | None:
    """Make, store and e-mail the receipt of a submitted application (idempotent).

    On failure the task queues itself again with a growing delay when the
    backend can defer tasks (the database backend can), up to MAX_ATTEMPTS;
    then it fails and is logged. The submission is untouched either way.
    """
    from tilskudd.applications import receipts  # noqa: PLC0415 - see the module's docstring

    try:
        document = receipts.issue_receipt(application_id)
    except Exception:
        if attempt < MAX_ATTEMPTS and make_receipt.get_backend().supports_defer:
            delay = retry_delay(attempt)
            logger.exception(
                "Receipt for application %s failed (attempt %s); trying again in %s", application_id, attempt, delay
            )
            make_receipt.using(run_after=timezone.now() + delay).enqueue(application_id, attempt + 1)
            return None
        logger.exception("Receipt for application %s failed (attempt %s); giving up", application_id, attempt)
        raise
    return document.sha256 if document else None


# --- queueing ----------------------------------------------------------------------


def queue_receipt_with_submission(application_id: int) -> None:
    """Queue the receipt task inside the submission's transaction, so neither is ever without the other.

    With the database backend the task row commits or rolls back with the
    submission (tilskudd.background); with other backends the task is queued
    after the commit (the immediate backend would otherwise run it inside).
    """
    background.enqueue_in_transaction(make_receipt, application_id, after_commit=lambda: queue_receipt(application_id))


def ensure_receipt(application: Application) -> bool:
    """For a submitted application: queue its receipt unless it exists or is already queued; True when queued.

    Called when a client retries a submission, inside that transaction, so a
    retry repairs a receipt lost before the task was queued, and never makes a
    second one (issue_receipt is idempotent besides).
    """
    from tilskudd.applications import receipts  # noqa: PLC0415 - see the module's docstring

    if application.submitted_at is None or receipts.receipt_for_submission(application) is not None:
        return False
    if background.pending(make_receipt, application.pk):
        return False
    queue_receipt_with_submission(application.pk)
    record(
        None,
        application,
        receipts.REQUEUED_ACTION,
        data={"case_number": application.case_number},
        audience=Audience.INTERNAL,
    )
    return True


def queue_receipt(application_id: int) -> None:
    """Queue the receipt task now (after the submission committed); never raises."""
    try:
        make_receipt.enqueue(application_id)
    except Exception:  # the submission is safe; the receipt can be made later
        logger.exception(
            "Could not queue the receipt for application %s; run tasks.queue_missing_receipts() later",
            application_id,
        )


def queue_missing_receipts() -> int:
    """Queue the receipt task for every submitted application without a receipt; returns how many."""
    from tilskudd.applications import receipts  # noqa: PLC0415 - see the module's docstring

    ids = list(receipts.missing_receipts().values_list("pk", flat=True))
    for application_id in ids:
        queue_receipt(application_id)
    return len(ids)
