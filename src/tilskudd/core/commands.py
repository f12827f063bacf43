"""The ``--today`` option of the daily management commands (``lapse_offers``, ``send_reminders``,
``delete_participant_data``): judge as on another day, for tests and for catching up a missed run.

One place for the option and for reading it, so every command says the same thing when the date is wrong.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

TODAY_HELP = "judge the deadlines as on this day (Europe/Oslo; default: today)"


def add_today_argument(parser, help: str = TODAY_HELP) -> None:
    """``--today YYYY-MM-DD`` on ``parser`` (default: none, the command's service takes today in Europe/Oslo)."""
    parser.add_argument("--today", default=None, metavar="YYYY-MM-DD", help=help)


def parse_today(value: str | None) -> dt.date | None:
    """The day ``--today`` names, None when it was not given; CommandError (bokmål and English) when it is no date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today må være en dato (ÅÅÅÅ-MM-DD) / must be a date: {value}") from exc
