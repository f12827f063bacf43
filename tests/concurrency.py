"""Running service calls at the same moment, for the PostgreSQL row-lock tests (``*_pg.py``).

Each job runs in its own thread and database connection; a barrier starts them together, so the second reaches
its ``SELECT … FOR UPDATE`` while the first holds the lock (the tests widen that window with a slow read).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_together(*jobs: Callable[[], object], refused: dict[type[BaseException], str]) -> list[str]:
    """Each job's outcome, in the jobs' order: ``"ok"``, the label ``refused`` gives the refusal it raised, or
    ``"error: …"`` for anything else (so an assertion on the outcomes shows it)."""
    start = threading.Barrier(len(jobs))
    outcomes = [""] * len(jobs)
    expected = tuple(refused)

    def run(index, job):
        try:
            start.wait(timeout=10)
            job()
            outcomes[index] = "ok"
        except expected as refusal:
            outcomes[index] = next(label for kind, label in refused.items() if isinstance(refusal, kind))
        except Exception as error:  # noqa: BLE001 — reported in the assertion
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
