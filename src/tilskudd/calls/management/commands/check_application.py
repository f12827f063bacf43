"""``tilskudd check --call ID APPLICATION.json``: check an application file against a loaded call.

Exit codes: 0 no errors (warnings allowed), 1 the application breaks a rule
(errors), 2 the input cannot be used (missing file, not JSON, not the
application format, unknown call, another call, bad ``--at``).
"""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from tilskudd.calls.services import CallMismatchError, UnknownCallError, check_application, current_call
from tilskudd.rules.application import Application
from tilskudd.rules.cli_check import (
    CheckInputError,
    CheckResult,
    add_check_arguments,
    find_in_file,
    is_call_file,
    run_check,
)


def find_loaded(call: str, application: Application, at: dt.datetime, language: str) -> tuple[CheckResult, str]:
    """Check against the current version of a loaded call (``--call ID``); a call file goes to the engine alone."""
    if is_call_file(call):
        return find_in_file(call, application, at, language)
    try:
        return check_application(call, application, at), current_call(call).definition.title.get(language)
    except UnknownCallError as error:
        raise CheckInputError(
            error.message_nb + " Se «tilskudd calls list».", error.message_en + " See 'tilskudd calls list'."
        ) from None
    except CallMismatchError as error:
        raise CheckInputError(error.message_nb, error.message_en) from None
    except DatabaseError as error:
        raise CheckInputError(
            f"Databasen er ikke klar. Kjør «tilskudd migrate» først. ({error})",
            f"The database is not ready. Run 'tilskudd migrate' first. ({error})",
        ) from None


class Command(BaseCommand):
    help = (
        "Sjekk en søknad (JSON) mot en utlysning og vis funnene. "
        "/ Check an application (JSON) against a call and show the findings."
    )
    #: No system checks first: they import every URL and view (the API, PDF rendering …), which was most of
    #: the command's second; it reads one call and runs the engine (issue #14, point 5).
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Called through the tilskudd command line, show its own words in the usage line.
        shown = "check" if prog_name == "tilskudd" else subcommand
        return super().create_parser(prog_name, shown, **kwargs)

    def add_arguments(self, parser):
        add_check_arguments(parser)

    def handle(self, *args, call, application, at, json: bool, lang: str, **options):
        code = run_check(
            call=call,
            application=application,
            at=at,
            as_json=json,
            lang=lang,
            find=find_loaded,
            stdout=self.stdout,
            stderr=self.stderr,
        )
        sys.exit(code)
