"""Background tasks for applications (django-tasks; run by ``manage.py task_worker``).

The backend is chosen in settings (``TASKS``): the database backend in
production and ``make run``, the immediate backend in tests. A task takes only
JSON-serialisable arguments (the application id) and reads the rest from the
database, so running it again is safe.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from tilskudd.applications import receipts

logger = logging.getLogger(__name__)

#: Attempts before a receipt task gives up (a person can queue it again: receipts.queue_missing_receipts()).
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
