"""``manage.py lapse_offers``: every open grant offer past its acceptance deadline lapses (run daily, issue #11)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tilskudd.grants.awards.acceptance import lapse_overdue


class Command(BaseCommand):
    help = (
        "Tilbud om tilskudd som ikke er akseptert innen fristen, bortfaller, og beløpet frigis i rammen / "
        "Offers of a grant not accepted by their deadline lapse, and the amount is freed in the frame."
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
        lapsed = lapse_overdue(day)
        if options["verbosity"]:
            self.stdout.write(
                f"Bortfalt / lapsed: {len(lapsed)}"
                + (": " + ", ".join(g.application.case_number or str(g.pk) for g in lapsed) if lapsed else "")
            )
