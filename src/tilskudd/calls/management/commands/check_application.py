"""``tilskudd check --call ID APPLICATION.json``: check an application file against a loaded call.

Exit codes: 0 no errors (warnings allowed), 1 the application breaks a rule
(errors), 2 the input cannot be used (missing file, not JSON, not the
application format, unknown call, another call, bad ``--at``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from tilskudd.calls.services import CallMismatchError, UnknownCallError, check_application, current_call
from tilskudd.rules.cli_check import (
    ApplicationInputError,
    ReferenceTimeError,
    format_result,
    parse_at,
    read_application,
)

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_INPUT = 2


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
        parser.add_argument("--call", required=True, metavar="ID", help="the call's id (tilskudd calls list)")
        parser.add_argument("application", metavar="APPLICATION.json", help="the application file; - reads stdin")
        parser.add_argument(
            "--at",
            metavar="DATETIME",
            help="judge at this instant (ISO, e.g. 2030-02-28T12:00; without offset Oslo time); default now",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--lang", choices=["nb", "en"], default="nb", help="nb (default) or en")

    def handle(self, *args, call, application, at, json: bool, lang: str, **options):
        english = lang == "en"

        def fail(nb: str, en: str, details: list[str] = ()) -> NoReturn:
            self.stderr.write(en if english else nb)
            for line in details:
                self.stderr.write(f"  - {line}")
            sys.exit(EXIT_INPUT)

        try:
            instant = parse_at(at)
        except ReferenceTimeError as error:
            fail(error.message_nb, error.message_en)

        source = application
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except FileNotFoundError:
            fail(f"Finner ikke filen {source}.", f"The file {source} does not exist.")
        except OSError as error:
            fail(f"Kan ikke lese {source}: {error.strerror}.", f"Cannot read {source}: {error.strerror}.")

        try:
            parsed = read_application(data)
        except ApplicationInputError as error:
            fail(
                f"{source}: søknaden kan ikke leses ({len(error.problems)} problem(er)):",
                f"{source}: the application cannot be read ({len(error.problems)} problem(s)):",
                [problem.text(lang) for problem in error.problems],
            )

        try:
            result = check_application(call, parsed, instant)
            title = current_call(call).definition.title.get(lang)
        except UnknownCallError as error:
            fail(error.message_nb + " Se «tilskudd calls list».", error.message_en + " See 'tilskudd calls list'.")
        except CallMismatchError as error:
            fail(f"{source}: {error.message_nb}", f"{source}: {error.message_en}")
        except DatabaseError as error:
            fail(
                f"Databasen er ikke klar. Kjør «tilskudd migrate» først. ({error})",
                f"The database is not ready. Run 'tilskudd migrate' first. ({error})",
            )

        if json:
            self.stdout.write(_json_dumps(result.as_dict()))
        else:
            self.stdout.write(format_result(result, title=title, language=lang))
        sys.exit(EXIT_OK if result.ok else EXIT_ERRORS)


def _json_dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
