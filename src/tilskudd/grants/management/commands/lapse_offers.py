"""``manage.py lapse_offers``: every open grant offer past its acceptance deadline lapses (run daily, issue #11)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tilskudd.core.commands import add_today_argument, parse_today
from tilskudd.grants.awards.acceptance import lapse_overdue


class Command(BaseCommand):
    help = (
        "Tilbud om tilskudd som ikke er akseptert innen fristen, bortfaller, og beløpet frigis i rammen / "
        "Offers of a grant not accepted by their deadline lapse, and the amount is freed in the frame."
    )

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, today: str | None = None, **options):
        day = parse_today(today)
        lapsed = lapse_overdue(day)
        if options["verbosity"]:
            self.stdout.write(
                f"Bortfalt / lapsed: {len(lapsed)}"
                + (": " + ", ".join(g.application.case_number or str(g.pk) for g in lapsed) if lapsed else "")
            )
