"""``manage.py send_reminders``: today's reminders of acceptance and report deadlines (run daily, issue #12 point 4)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tilskudd.reminders.services import remind


class Command(BaseCommand):
    help = (
        "Sender påminnelser om frister for aksept og rapportering (hver påminnelse én gang) / "
        "Sends reminders of acceptance and report deadlines (each reminder once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            default=None,
            metavar="YYYY-MM-DD",
            help="judge the deadlines as on this day (Europe/Oslo; default: today)",
        )

    def handle(self, *args, today: str | None = None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today må være en dato (ÅÅÅÅ-MM-DD) / must be a date: {today}") from exc
        done = remind(day)
        if options["verbosity"]:
            self.stdout.write(f"Påminnelser / reminders: {len(done.created)} ({done.subjects} frister / deadlines)")
