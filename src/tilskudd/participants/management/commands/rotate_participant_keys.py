"""``manage.py rotate_participant_keys``: re-encrypt the participants' data with the newest key (C0-R12)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tilskudd.core.refusals import Refusal
from tilskudd.participants.services import rotate_keys


class Command(BaseCommand):
    help = (
        "Krypterer deltakeropplysningene på nytt med den nyeste nøkkelen (den første i PARTICIPANT_DATA_KEYS) / "
        "Re-encrypts the participants' data with the newest key (the first in PARTICIPANT_DATA_KEYS)."
    )

    def handle(self, *args, **options):
        try:
            done = rotate_keys()
        except Refusal as refused:
            raise CommandError(refused.reason("en")) from refused
        if options["verbosity"]:
            self.stdout.write(f"Kryptert på nytt / re-encrypted: {done}")
