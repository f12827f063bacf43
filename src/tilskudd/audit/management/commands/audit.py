"""``tilskudd audit verify``: check the audit trail's hash chains (docs/audit.md).

Exit 0: every stream is whole. Exit 1: something was edited, inserted or deleted; each broken
stream's first finding is printed in bokmål and English, naming the event and its stream.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from tilskudd.audit.chain import verify
from tilskudd.audit.models import AuditEvent, AuditStreamHead

EXIT_OK = 0
EXIT_FINDINGS = 1


class Command(BaseCommand):
    help = "Sjekk loggens hash-kjeder / verify the audit trail's hash chains: tilskudd audit verify"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        sub.add_parser("verify", help="Sjekk at ingen hendelse er endret, satt inn eller slettet / verify the chains")

    def handle(self, *args, action: str, **options):
        findings = verify()
        events, streams = AuditEvent.objects.count(), AuditStreamHead.objects.count()
        if not findings:
            self.stdout.write(
                f"Loggen er hel: {events} hendelser i {streams} strømmer, ingen endret, satt inn eller slettet.\n"
                f"The audit trail is whole: {events} events in {streams} streams, none edited, inserted or deleted."
            )
            sys.exit(EXIT_OK)
        for finding in findings:
            self.stdout.write(str(finding))
        self.stdout.write(
            f"{len(findings)} strøm(mer) i loggen er brutt. / {len(findings)} stream(s) of the audit trail are broken."
        )
        sys.exit(EXIT_FINDINGS)
