"""``manage.py reap_tasks``: queue again the background tasks whose worker died (see tilskudd.background)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tilskudd import background


class Command(BaseCommand):
    help = (
        "Sett i kø igjen bakgrunnsjobber som står som «running» uten arbeider / "
        "Queue again background tasks left running by a worker that is gone (or past the lease)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease",
            type=int,
            default=None,
            metavar="SECONDS",
            help="how long a task may run before it is taken as lost (default: TASKS_LEASE_SECONDS)",
        )

    def handle(self, *args, lease: int | None = None, **options):
        if lease is not None and lease < 0:
            raise CommandError("--lease må være 0 eller mer / must be zero or more")
        reaped = background.reap(lease_for=dt.timedelta(seconds=lease) if lease is not None else None)
        if options["verbosity"]:
            self.stdout.write(
                f"Satt i kø igjen / queued again: {len(reaped.requeued)}; gitt opp / given up: {len(reaped.abandoned)}"
            )
