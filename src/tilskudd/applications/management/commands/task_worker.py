"""``manage.py task_worker``: django-tasks-db's ``db_worker`` that leaves no task «running» for good.

The same worker and options as ``db_worker``, with two additions (see
tilskudd.background): its id names the machine and process
(``host:pid:random``), so a reaper on the same machine sees at once when it is
gone; and it runs the reaper when it starts and every ``--reap-every`` seconds,
so restarting a killed worker (systemd ``Restart=``) is enough to get its task
run again.
"""

from __future__ import annotations

import logging
import threading

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from tilskudd import background

logger = logging.getLogger(__name__)


def reap_quietly() -> None:
    try:
        background.reap()
    except Exception:  # the worker goes on; the next round tries again
        logger.exception("Reaping background tasks failed")


def reap_periodically(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        try:
            reap_quietly()
        finally:
            connections.close_all()  # this thread's own connections


class Command(DbWorkerCommand):
    help = (
        "Kjør bakgrunnsjobber; jobber en død arbeider etterlot, settes i kø igjen / "
        "Run background tasks; tasks a dead worker left behind are queued again."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)
        parser.add_argument(
            "--reap-every",
            type=valid_interval,
            default=60,
            metavar="SECONDS",
            help="how often to look for tasks whose worker is gone; 0: only at start (default: %(default)r)",
        )

    def handle(self, *args, worker_id: str | None = None, reap_every: float = 60, **options):
        reap_quietly()
        stop = threading.Event()
        if reap_every:
            threading.Thread(target=reap_periodically, args=(reap_every, stop), name="reaper", daemon=True).start()
        try:
            super().handle(*args, worker_id=worker_id or background.worker_id(), **options)
        finally:
            stop.set()
