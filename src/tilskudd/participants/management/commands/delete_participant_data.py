"""``manage.py delete_participant_data``: delete the participants' personal data past the call's retention (daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tilskudd.core.commands import add_today_argument, parse_today
from tilskudd.participants.retention import delete_expired


class Command(BaseCommand):
    help = (
        "Sletter deltakeropplysninger når oppbevaringstiden i utlysningen er ute / "
        "Deletes participants' personal data when the call's retention period has run out."
    )

    def add_arguments(self, parser):
        add_today_argument(parser, "judge as on this day (Europe/Oslo)")

    def handle(self, *args, today: str | None = None, **options):
        day = parse_today(today)
        deleted = delete_expired(day)
        if options["verbosity"]:
            self.stdout.write(f"Slettet / deleted: {sum(d.count for d in deleted)}")
            for d in deleted:
                self.stdout.write(
                    f"  rapporteringsplikt / duty {d.duty_id}: {d.count} "
                    f"(fra / from {d.counted_from.isoformat()}, utløpt / expired {d.expired_on.isoformat()})"
                )
