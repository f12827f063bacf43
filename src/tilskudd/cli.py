"""The ``tilskudd`` command line: a thin entry point over Django's management commands.

    tilskudd calls list | show ID [--json] | validate FILE… | load [FILE…] [--new-version]
    tilskudd check --call ID|FILE.yaml APPLICATION.json [--at DATETIME] [--json] [--lang en]
    tilskudd schema application
    tilskudd audit verify
    tilskudd <any django-admin command>    (migrate, runserver, createsuperuser …)

Settings come from ``tilskudd.settings``; ``DEBUG`` is on unless the
environment says otherwise, because this is mostly run on one's own machine.
``tilskudd check --call ID`` starts Django with ``tilskudd.settings_check``
(the same settings, only the calls app) and runs its command directly.
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
#: The project's settings, and those ``tilskudd check --call ID`` starts Django with in their place.
DEFAULT_SETTINGS = "tilskudd.settings"
CHECK_SETTINGS = "tilskudd.settings_check"


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


def _exit_code(exit_: SystemExit) -> int:
    """A command's ``sys.exit`` as an exit code; a message in place of a code is written to stderr (1)."""
    code = exit_.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def _check_from_database(argv: list[str]) -> int | None:
    """``tilskudd check --call ID …`` with Django started for the calls app alone, or ``None`` to go the usual way.

    The command needs one call's current version and the rule engine, so it is run without
    django-admin's look through every app's commands, and, when Django is not yet set up with other
    settings, with ``tilskudd.settings_check``: the same settings with only ``tilskudd.calls`` installed
    (issue #14, point 5). Its output, messages and exit codes are the command's own either way. Options
    that django-admin reads itself (``--settings``, ``--pythonpath``) and shell completion go the usual way.
    """
    if os.environ.get("DJANGO_AUTO_COMPLETE") or any(word.startswith(("--settings", "--pythonpath")) for word in argv):
        return None
    import django  # noqa: PLC0415 - only the commands that need Django import it
    from django.conf import settings  # noqa: PLC0415

    if not settings.configured and os.environ["DJANGO_SETTINGS_MODULE"] == DEFAULT_SETTINGS:
        os.environ["DJANGO_SETTINGS_MODULE"] = CHECK_SETTINGS
    django.setup()
    from tilskudd.calls.management.commands.check_application import Command  # noqa: PLC0415

    try:
        Command().run_from_argv(["tilskudd", COMMANDS["check"], *argv[1:]])
    except SystemExit as exit_:
        return _exit_code(exit_)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (the console script passes it to the shell)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    os.environ.setdefault("DEBUG", "1")
    translated = translate(argv)
    if isinstance(translated, int):
        return translated
    if argv[0] == "check" and _call_argument(argv) is not None:
        # A call file: the rule engine alone, without Django's start-up (about 1 s) — issue #14, point 5.
        from tilskudd.rules.cli_check import main_without_django  # noqa: PLC0415 - only this command needs it

        return main_without_django(argv[1:])
    if argv[0] == "check":
        code = _check_from_database(argv)
        if code is not None:
            return code

    from django.core.management import ManagementUtility  # noqa: PLC0415

    try:
        ManagementUtility(["tilskudd", *translated]).execute()
    except SystemExit as exit_:
        return _exit_code(exit_)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
