"""``manage.py send_reminders``: today's reminders of acceptance and report deadlines (run daily, issue #12 point 4)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tilskudd.core.commands import add_today_argument, parse_today
from tilskudd.reminders.services import remind


class Command(BaseCommand):
    help = (
        "Sender påminnelser om frister for aksept og rapportering (hver påminnelse én gang) / "
        "Sends reminders of acceptance and report deadlines (each reminder once)."
    )

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today: str | None = None, **options):
        day = parse_today(today)
        done = remind(day)
        if options["verbosity"]:
            self.stdout.write(f"Påminnelser / reminders: {len(done.created)} ({done.subjects} frister / deadlines)")
