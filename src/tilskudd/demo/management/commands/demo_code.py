"""The current two-factor code of a demo person, for trying the grantor's side without an authenticator app.

Only with ``DEBUG=1`` (``make run``) and only for demo addresses (``@….example``): in production
there are no demo people, and nobody reads another person's codes.
"""

import gc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tilskudd.demo.guard import refuse_outside_the_demo


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo person (DEBUG only, demo addresses only)."
    #: The system checks import every URL and view (about two seconds); a code is wanted at once (issue #13, point 11).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        refuse_outside_the_demo()
        if not email.lower().endswith(".example"):
            raise CommandError("Bare for demobrukere (@….example). / Only for demo people (@….example).")
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Ingen bruker {email}. / No user {email}.")
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()
        if device is None:
            raise CommandError(
                "Personen har ikke satt opp tofaktor ennå: logg inn først, så vises oppsettsiden. / "
                "The person has not set up two-factor yet: log in first to see the setup page."
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")

    def run_from_argv(self, argv):
        """From the command line the process ends once the code is printed. Python's last garbage collections
        would walk the ~90 000 objects the apps made at start (a quarter of a second of CPU, issue #13, point 11);
        frozen, they are left to the operating system. ``call_command`` (tests) does not come this way."""
        try:
            super().run_from_argv(argv)
        finally:
            gc.freeze()
