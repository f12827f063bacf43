"""The demo commands run only in the demo (``DEBUG=1``, as ``make run`` sets): never on a production site."""

from django.conf import settings
from django.core.management import CommandError


def refuse_outside_the_demo() -> None:
    """Stop a demo command unless DEBUG is on: demo people with a published password have no place in production."""
    if not settings.DEBUG:
        raise CommandError("Bare i demo (DEBUG=1). / Only in the demo (DEBUG=1).")
