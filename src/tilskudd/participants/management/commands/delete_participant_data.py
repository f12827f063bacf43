"""``manage.py delete_participant_data``: delete the participants' personal data past the call's retention (daily)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tilskudd.participants.retention import delete_expired


class Command(BaseCommand):
    help = (
        "Sletter deltakeropplysninger når oppbevaringstiden i utlysningen er ute / "
        "Deletes participants' personal data when the call's retention period has run out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="judge as on this day (Europe/Oslo)")

    def handle(self, *args, today: str | None = None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today må være en dato (ÅÅÅÅ-MM-DD) / must be a date: {today}") from exc
        deleted = delete_expired(day)
        if options["verbosity"]:
            self.stdout.write(f"Slettet / deleted: {sum(d.count for d in deleted)}")
            for d in deleted:
                self.stdout.write(
                    f"  rapporteringsplikt / duty {d.duty_id}: {d.count} "
                    f"(fra / from {d.counted_from.isoformat()}, utløpt / expired {d.expired_on.isoformat()})"
                )
