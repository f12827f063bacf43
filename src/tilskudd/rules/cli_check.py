"""Checking an application from outside the web forms: the CLI and the API share this.

Pure Python (no Django), like the rest of :mod:`tilskudd.rules`:

* :func:`parse_at` reads the reference time (``--at`` / ``?at=``): an ISO
  date-time; without an offset it means Oslo time.
* :func:`read_application` reads an application's JSON and turns every
  validation error into a :class:`InputProblem` with the path to the field and
  a message in bokmål and English, never a traceback.
* :class:`CheckResult` is what a check gives back; :meth:`CheckResult.as_dict`
  is the JSON both ``tilskudd check --json`` and ``POST /api/v1/calls/{id}/check``
  return.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from pydantic import ValidationError

from tilskudd.rules.application import Application
from tilskudd.rules.engine import evaluate
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.loading import CallFileError, load_call_file
from tilskudd.rules.schema import OSLO


@dataclass(frozen=True)
class InputProblem:
    """One reason an input cannot be used: where (a path like ``budget.lines[0].amount``) and why."""

    location: str
    message_nb: str
    message_en: str

    def message(self, language: str = "nb") -> str:
        return self.message_en if language.startswith("en") else self.message_nb

    def text(self, language: str = "nb") -> str:
        return f"{self.location}: {self.message(language)}" if self.location else self.message(language)

    def as_dict(self) -> dict:
        return {"field": self.location, "message_nb": self.message_nb, "message_en": self.message_en}


class ApplicationInputError(ValueError):
    """An application that cannot be read or does not follow the exchange format."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("; ".join(problem.text("en") for problem in problems))


#: The years a reference time may lie in; outside them an offset could move it past what dates hold.
AT_YEARS = (2000, 2100)


class ReferenceTimeError(ValueError):
    """A reference time (``--at``) that is not an ISO date-time, or lies outside AT_YEARS."""

    def __init__(self, value: str, out_of_range: bool = False):
        self.value = value
        if out_of_range:
            first, last = AT_YEARS
            self.message_nb = f"«{value}» ligger utenfor årene {first}–{last}. Velg et tidspunkt innenfor dem."
            self.message_en = f"'{value}' lies outside the years {first}–{last}. Choose a time within them."
            super().__init__(self.message_en)
            return
        self.message_nb = (
            f"«{value}» er ikke et gyldig tidspunkt. Skriv dato og klokkeslett som 2030-02-28T12:00 "
            "(norsk tid) eller med tidssone, som 2030-02-28T11:00:00+00:00."
        )
        self.message_en = (
            f"'{value}' is not a valid date-time. Write the date and time as 2030-02-28T12:00 "
            "(Norwegian time) or with an offset, like 2030-02-28T11:00:00+00:00."
        )
        super().__init__(self.message_en)

    def message(self, language: str = "nb") -> str:
        return self.message_en if language.startswith("en") else self.message_nb


def parse_at(value: str | None, now: dt.datetime | None = None) -> dt.datetime:
    """The instant to judge an application at (aware).

    ``None`` or empty means now. A date-time without offset is Oslo time. A date
    alone is refused: a deadline is an instant, and midnight is rarely meant.
    """
    if value is None or not value.strip():
        return now if now is not None else dt.datetime.now(tz=OSLO)
    text = value.strip()
    if len(text) <= 10 or "T" not in text.upper() and " " not in text:
        raise ReferenceTimeError(value)
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ReferenceTimeError(value) from None
    if not AT_YEARS[0] <= at.year <= AT_YEARS[1]:  # 9999-12-31T23:59-12:00 overflowed into a 500
        raise ReferenceTimeError(value, out_of_range=True)
    if at.tzinfo is None:
        at = at.replace(tzinfo=OSLO)
    return at


def read_application(data: str | bytes) -> Application:
    """Validate an application's JSON text; every problem is collected, with its path."""
    try:
        return Application.model_validate_json(data)
    except ValidationError as error:
        raise ApplicationInputError(validation_problems(error)) from None


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """``("budget", "lines", 2, "amount")`` → ``budget.lines[2].amount`` (the findings' notation)."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problem_from_error(item: dict, skip: int = 0) -> InputProblem:
    """One pydantic error (``ValidationError.errors()`` item) as an :class:`InputProblem`.

    ``skip`` drops that many leading parts of the location (the API's ``body``).
    """
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    location = field_path(tuple(item.get("loc", ()))[skip:])
    english = str(item.get("msg", "")).removeprefix("Value error, ")
    nb, en = _MESSAGES.get(kind, (None, None))
    if kind == "json_invalid":
        detail = str(ctx.get("error", english))
        return InputProblem("", f"Filen er ikke gyldig JSON: {detail}.", f"Not valid JSON: {detail}.")
    if kind in {"model_type", "model_attributes_type", "dict_type"} and not location:
        return InputProblem(
            "",
            "Søknaden må være et JSON-objekt med nøklene call, applicant, answers, budget …",
            "The application must be a JSON object with the keys call, applicant, answers, budget …",
        )
    if nb is None:
        nb, en = f"er ikke gyldig: {english}", english
    try:
        nb, en = nb.format(**ctx), en.format(**ctx)
    except (KeyError, IndexError, ValueError):
        pass
    if kind in {"enum", "literal_error"}:
        nb = nb.replace("' or '", "' eller '")
    if kind not in {"missing", "extra_forbidden"} and "input" in item:
        nb += f" (fikk {_shown(item['input'])})"
        en += f" (got {_shown(item['input'])})"
    if not location:
        nb, en = nb[:1].upper() + nb[1:], en[:1].upper() + en[1:]
    return InputProblem(location, nb, en)


def validation_problems(error: ValidationError) -> list[InputProblem]:
    return [problem_from_error(item) for item in error.errors(include_url=False)]


#: Plain bokmål and English for pydantic's most common error types; others fall back to pydantic's text.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("mangler, men må være med", "is missing but required"),
    "extra_forbidden": (
        "er ikke en kjent nøkkel; sjekk stavemåten mot docs/application-format.md",
        "is not a known key; check the spelling against docs/application-format.md",
    ),
    "int_type": ("må være et helt tall", "must be a whole number"),
    "int_parsing": ("må være et helt tall", "must be a whole number"),
    "int_from_float": ("må være et helt tall", "must be a whole number"),
    "float_type": ("må være et tall", "must be a number"),
    "float_parsing": ("må være et tall", "must be a number"),
    "finite_number": ("må være et endelig tall", "must be a finite number"),
    "greater_than_equal": ("må være minst {ge}", "must be at least {ge}"),
    "greater_than": ("må være større enn {gt}", "must be greater than {gt}"),
    "less_than_equal": ("kan være høyst {le}", "may be at most {le}"),
    "less_than": ("må være mindre enn {lt}", "must be less than {lt}"),
    "string_type": ("må være tekst", "must be text"),
    "string_pattern_mismatch": ("har feil form (skal passe {pattern})", "has the wrong form (must match {pattern})"),
    "bool_type": ("må være true eller false", "must be true or false"),
    "bool_parsing": ("må være true eller false", "must be true or false"),
    "enum": ("må være en av: {expected}", "must be one of: {expected}"),
    "literal_error": ("må være en av: {expected}", "must be one of: {expected}"),
    "list_type": ("må være en liste", "must be a list"),
    "dict_type": ("må være et objekt", "must be an object"),
    "model_type": ("må være et objekt", "must be an object"),
    "model_attributes_type": ("må være et objekt", "must be an object"),
    "too_short": ("må ha minst {min_length} element(er)", "must have at least {min_length} item(s)"),
    "too_long": ("kan ha høyst {max_length} element(er)", "may have at most {max_length} item(s)"),
    "date_type": ("må være en dato (åååå-mm-dd)", "must be a date (yyyy-mm-dd)"),
    "date_parsing": ("må være en dato (åååå-mm-dd)", "must be a date (yyyy-mm-dd)"),
    "date_from_datetime_parsing": ("må være en dato (åååå-mm-dd)", "must be a date (yyyy-mm-dd)"),
    "date_from_datetime_inexact": ("må være en dato uten klokkeslett", "must be a date without a time"),
}


def rule_ids(data: Any) -> list[str]:
    """Every rule id a definition names in ``rule`` or ``rules``, in id order."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "rule" and isinstance(value, str):
                    found.add(value)
                elif key == "rules" and isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)

    def order(rule: str) -> tuple:
        prefix, _, number = rule.partition("-R")
        return (prefix != "X", int(prefix[1:]) if prefix[1:].isdigit() else -1, prefix, number)

    return sorted(found, key=order)


@dataclass(frozen=True)
class CheckResult:
    """The findings for one application under one version of a call, at one instant."""

    call: str
    version: int | None  # None: checked against a call file, not a loaded version
    at: dt.datetime
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """No errors: the application can be submitted (warnings do not stop it)."""
        return self.errors == 0

    def as_dict(self) -> dict:
        return {
            "call": self.call,
            "version": self.version,
            "at": self.at.astimezone(OSLO).isoformat(),
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [finding.as_dict() for finding in self.findings],
        }


SEVERITY_NAMES = {Severity.ERROR: ("feil", "error"), Severity.WARNING: ("advarsel", "warning")}


def format_finding(finding: Finding, language: str = "nb") -> str:
    """``feil  C0-R20  answers.participants  «Antall deltakere» må være minst 15 …``"""
    english = language.startswith("en")
    severity = SEVERITY_NAMES[finding.severity][1 if english else 0]
    message = finding.message_en if english else finding.message_nb
    where = finding.field or ("(the application)" if english else "(søknaden)")
    return f"{severity:<8}  {finding.rule_id:<7}  {where}\n          {message}"


def format_result(result: CheckResult, title: str = "", language: str = "nb") -> str:
    """The human-readable report of a check, as ``tilskudd check`` prints it."""
    english = language.startswith("en")
    at = result.at.astimezone(OSLO)
    when = f"{at:%d.%m.%Y} kl. {at:%H:%M:%S}" if not english else f"{at:%Y-%m-%d %H:%M:%S}"
    lines = [
        (
            f"Call: {result.call} ({f'version {result.version}' if result.version is not None else 'call file'})"
            if english
            else f"Utlysning: {result.call} ({f'versjon {result.version}' if result.version is not None else 'fil'})"
        )
        + (f" – {title}" if title else ""),
        (f"Checked at: {when} (Oslo time)" if english else f"Sjekket per: {when} (norsk tid)"),
    ]
    if english:
        verdict = "OK: no errors" if result.ok else "NOT OK"
        counts = f"{result.errors} error{'s' if result.errors != 1 else ''}, " + (
            f"{result.warnings} warning{'s' if result.warnings != 1 else ''}"
        )
    else:
        verdict = "OK: ingen feil" if result.ok else "IKKE OK"
        counts = f"{result.errors} feil, {result.warnings} advars{'el' if result.warnings == 1 else 'ler'}"
    lines.append(f"{verdict} – {counts}")
    if result.findings:
        lines.append("")
        lines.extend(format_finding(finding, language) for finding in result.findings)
    return "\n".join(lines)


# --- ``tilskudd check``: one run, whether the call comes from the database or from a file ---------------

EXIT_OK, EXIT_ERRORS, EXIT_INPUT = 0, 1, 2


class CheckInputError(ValueError):
    """The check cannot be made (unknown call, another call, a broken call file …): exit 2 with this."""

    def __init__(self, message_nb: str, message_en: str, details: list[str] | None = None):
        self.message_nb, self.message_en, self.details = message_nb, message_en, details or []
        super().__init__(message_en)


class Writer(Protocol):
    """Where the report goes: a text stream, or a management command's output wrapper."""

    def write(self, text: str, /) -> object: ...


#: ``find(call argument, application, instant, language)`` → the result and the call's title in that
#: language; raises CheckInputError.
Finder = Callable[[str, Application, dt.datetime, str], tuple[CheckResult, str]]


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``tilskudd check`` (the management command and the command line's fast path)."""
    parser.add_argument(
        "--call",
        required=True,
        metavar="ID|FILE",
        help="the call's id (tilskudd calls list), or a call file (.yaml) to check against without a database",
    )
    parser.add_argument("application", metavar="APPLICATION.json", help="the application file; - reads stdin")
    parser.add_argument(
        "--at",
        metavar="DATETIME",
        help="judge at this instant (ISO, e.g. 2030-02-28T12:00; without offset Oslo time); default now",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--lang", choices=["nb", "en"], default="nb", help="nb (default) or en")


def run_check(
    *,
    call: str,
    application: str,
    at: str | None,
    as_json: bool,
    lang: str,
    find: Finder,
    stdout: Writer,
    stderr: Writer,
    stdin: IO[bytes] | None = None,
) -> int:
    """Read the application, check it with ``find`` and print the report; returns the exit code."""
    english = lang == "en"

    def fail(nb: str, en: str, details: list[str] | None = None) -> int:
        stderr.write((en if english else nb) + "\n")
        for line in details or []:
            stderr.write(f"  - {line}\n")
        return EXIT_INPUT

    try:
        instant = parse_at(at)
    except ReferenceTimeError as error:
        return fail(error.message_nb, error.message_en)
    source = application
    try:
        data = (stdin or sys.stdin.buffer).read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        return fail(f"Finner ikke filen {source}.", f"The file {source} does not exist.")
    except OSError as error:
        return fail(f"Kan ikke lese {source}: {error.strerror}.", f"Cannot read {source}: {error.strerror}.")
    try:
        parsed = read_application(data)
    except ApplicationInputError as error:
        return fail(
            f"{source}: søknaden kan ikke leses ({len(error.problems)} problem(er)):",
            f"{source}: the application cannot be read ({len(error.problems)} problem(s)):",
            [problem.text(lang) for problem in error.problems],
        )
    try:
        result, title = find(call, parsed, instant, lang)
    except CheckInputError as error:
        return fail(error.message_nb, error.message_en, error.details)
    if as_json:
        stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        stdout.write(format_result(result, title=title, language=lang) + "\n")
    return EXIT_OK if result.ok else EXIT_ERRORS


def is_call_file(call: str) -> bool:
    """``--call`` names a file (``…/c0.yaml``) rather than the id of a loaded call."""
    return call.endswith((".yaml", ".yml")) and Path(call).is_file()


def find_in_file(call: str, application: Application, at: dt.datetime, language: str) -> tuple[CheckResult, str]:
    """Check against a call file: the rule engine alone, no database and no Django (issue #14, point 5)."""
    try:
        definition = load_call_file(call)
    except CallFileError as error:
        problems = [str(problem) for problem in error.problems]
        raise CheckInputError(
            f"{call}: utlysningsfilen er ikke gyldig ({len(problems)} problem(er)):",
            f"{call}: the call file is not valid ({len(problems)} problem(s)):",
            problems,
        ) from None
    if application.call != definition.id:
        raise CheckInputError(
            f"Søknaden gjelder utlysningen «{application.call}», ikke «{definition.id}» (feltet call).",
            f"The application is for the call '{application.call}', not '{definition.id}' (the field call).",
        )
    findings = evaluate(definition, application, at)
    result = CheckResult(call=definition.id, version=None, at=at, findings=findings)
    return result, definition.title.get(language)


def main_without_django(argv: list[str]) -> int:
    """``tilskudd check --call FILE.yaml APPLICATION.json …``: the whole check without Django's start-up."""
    parser = argparse.ArgumentParser(prog="tilskudd check", description="Sjekk en søknad mot en utlysningsfil.")
    add_check_arguments(parser)
    options = parser.parse_args(argv)
    return run_check(
        call=options.call,
        application=options.application,
        at=options.at,
        as_json=options.json,
        lang=options.lang,
        find=find_in_file,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )
