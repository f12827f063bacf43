"""The ``tilskudd`` command line: a thin entry point over Django's management commands.

    tilskudd calls list | show ID [--json] | validate FILE… | load [FILE…] [--new-version]
    tilskudd check --call ID|FILE.yaml APPLICATION.json [--at DATETIME] [--json] [--lang en]
    tilskudd schema application
    tilskudd audit verify
    tilskudd <any django-admin command>    (migrate, runserver, createsuperuser …)

Settings come from ``tilskudd.settings``; ``DEBUG`` is on unless the
environment says otherwise, because this is mostly run on one's own machine.
"""

from __future__ import annotations

import os
import sys

USAGE = """\
tilskudd – tilskuddsforvaltning / grant administration

Bruk / usage:
  tilskudd calls list                      utlysningene som er lastet inn / the loaded calls
  tilskudd calls show ID [--json]          nøkkelfakta og regler / key facts and rules
  tilskudd calls validate FIL…             sjekk definisjonsfiler / validate call files (no database)
  tilskudd calls load [FIL…] [--new-version]
                                           last inn utlysninger / load calls into the database
  tilskudd check --call ID SØKNAD.json [--at TIDSPUNKT] [--json] [--lang en]
                                           sjekk en søknad / check an application
  tilskudd check --call FIL.yaml SØKNAD.json …
                                           mot en utlysningsfil, uten database / against a call file, no database
  tilskudd schema application              JSON Schema for søknadsformatet / of the application format
  tilskudd audit verify                    sjekk at loggen er urørt / verify the audit trail's hash chains
  tilskudd KOMMANDO …                      andre Django-kommandoer / other Django commands (migrate, runserver …)

Utfall / exit codes for check: 0 ingen feil / no errors, 1 feil / errors, 2 uleselig inndata / unreadable input.
"""

#: Our words → management commands. Django has its own ``check``, so ours is ``check_application``.
COMMANDS = {"calls": "calls", "check": "check_application"}
SCHEMAS = {"application": "application_schema"}


def translate(argv: list[str]) -> list[str] | int:
    """``tilskudd`` arguments → ``django-admin`` arguments, or an exit code when done here."""
    if not argv or argv[0] in {"-h", "--help", "help"} and len(argv) == 1:
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    word, rest = argv[0], argv[1:]
    if word == "schema":
        if len(rest) >= 1 and rest[0] in SCHEMAS:
            return [SCHEMAS[rest[0]], *rest[1:]]
        sys.stderr.write(
            "Bruk: tilskudd schema application / usage: tilskudd schema application\n"
            f"Kjente skjema / known schemas: {', '.join(SCHEMAS)}\n"
        )
        return 2
    return [COMMANDS.get(word, word), *rest]


def _call_argument(argv: list[str]) -> str | None:
    """The file ``tilskudd check --call FILE.yaml …`` names, or ``None`` (an id, or no ``--call``)."""
    for index, word in enumerate(argv):
        value = argv[index + 1] if word == "--call" and index + 1 < len(argv) else None
        if word.startswith("--call="):
            value = word.split("=", 1)[1]
        if value is not None:
            return value if value.endswith((".yaml", ".yml")) and os.path.isfile(value) else None
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (the console script passes it to the shell)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
    os.environ.setdefault("DEBUG", "1")
    translated = translate(argv)
    if isinstance(translated, int):
        return translated
    if argv[0] == "check" and _call_argument(argv) is not None:
        # A call file: the rule engine alone, without Django's start-up (about 1 s) — issue #14, point 5.
        from tilskudd.rules.cli_check import main_without_django  # noqa: PLC0415 - only this command needs it

        return main_without_django(argv[1:])

    from django.core.management import ManagementUtility  # noqa: PLC0415

    try:
        ManagementUtility(["tilskudd", *translated]).execute()
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        sys.stderr.write(f"{code}\n")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
