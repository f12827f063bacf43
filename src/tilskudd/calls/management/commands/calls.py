"""``tilskudd calls list|show|validate|load``: the calls for applications (*utlysninger*) from the command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from tilskudd.calls.models import Call
from tilskudd.core.formatting import format_nok
from tilskudd.core.text import pick
from tilskudd.rules.cli_check import rule_ids
from tilskudd.rules.loading import CallFileError, load_call_file
from tilskudd.rules.messages import APPLICANT_TYPE_NAMES
from tilskudd.rules.schema import OSLO, CallDefinition, Text

#: A call file that cannot be used is unreadable input, as for ``tilskudd check`` (issue #10 point 10).
EXIT_INVALID = 2
EXIT_INPUT = 2


def text(value: Text | None, language: str) -> str:
    return value.get(language) if value else ""


def when(instant: dt.datetime, language: str) -> str:
    local = instant.astimezone(OSLO)
    return pick(language, f"{local:%d.%m.%Y} kl. {local:%H:%M}", f"{local:%Y-%m-%d %H:%M}")


def money(amount: int | None, language: str, up_to: bool = False) -> str:
    if amount is None:
        return "–"
    shown = format_nok(amount, language)
    return (pick(language, "inntil ", "up to ") + shown) if up_to else shown


def is_open(deadline: dt.datetime, now: dt.datetime) -> bool:
    """Open until the deadline instant, inclusive (X-R01: judged by the server clock)."""
    return now <= deadline


def describe_check(check: Any, language: str) -> str:
    """``range answers.participants ≥ 15 (C0-R20)``: one check the engine runs, in a line."""
    parts = [check.kind]
    label = getattr(check, "label", None)
    if isinstance(label, Text):
        parts.append(f"«{label.get(language)}»")
    elif getattr(check, "field", None):
        parts.append(str(check.field))
    low, high = getattr(check, "min", None), getattr(check, "max", None)
    if low is not None:
        parts.append(f"≥ {low}")
    if high is not None:
        parts.append(f"≤ {high}")
    if check.when is not None:
        parts.append(pick(language, "(på vilkår)", "(on a condition)"))
    line = " ".join(parts) + f" ({check.rule})"
    if check.severity == "warning":
        line += pick(language, " – advarsel", " – warning")
    return line


def _truncate(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


class Command(BaseCommand):
    help = (
        "Utlysninger: list, show ID, validate FIL…, load [FIL…]. / Calls: list, show ID, validate FILE…, load [FILE…]."
    )

    def add_arguments(self, parser):
        common = {"help": "nb (norsk bokmål, default) or en (English)"}
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,show,validate,load}")
        listing = actions.add_parser("list", help="utlysningene som er lastet inn / the loaded calls")
        listing.add_argument("--lang", choices=["nb", "en"], default="nb", **common)
        show = actions.add_parser("show", help="nøkkelfakta og regler for én utlysning / one call's facts and rules")
        show.add_argument("call_id", metavar="ID")
        show.add_argument("--json", action="store_true", help="hele definisjonen som JSON / the full definition")
        show.add_argument("--lang", choices=["nb", "en"], default="nb", **common)
        validate = actions.add_parser(
            "validate", help="sjekk definisjonsfiler uten databasen / check definition files without the database"
        )
        validate.add_argument("files", nargs="+", metavar="FILE")
        validate.add_argument("--lang", choices=["nb", "en"], default="nb", **common)
        load = actions.add_parser("load", help="last inn definisjonsfiler (som load_calls) / load definition files")
        load.add_argument("files", nargs="*", metavar="FILE", help="default: every *.yaml in CALLS_DIR")
        load.add_argument("--new-version", action="store_true", help="version a call that applications use")

    def handle(self, *args, action, **options):
        if action == "validate":
            return self.validate(options["files"], options["lang"])
        if action == "load":
            call_command(
                "load_calls",
                *options["files"],
                new_version=options["new_version"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
            return None
        try:
            if action == "list":
                return self.list_calls(options["lang"])
            return self.show_call(options["call_id"], options["json"], options["lang"])
        except DatabaseError as error:
            self.stderr.write(
                pick(
                    options["lang"],
                    "Databasen er ikke klar. Kjør «tilskudd migrate» først.",
                    "The database is not ready. Run 'tilskudd migrate' first.",
                )
                + f" ({error})"
            )
            sys.exit(EXIT_INPUT)

    # --- list -------------------------------------------------------------------

    def list_calls(self, language: str) -> None:
        now = timezone.now()
        calls = list(Call.objects.select_related("current_version").order_by("-deadline", "slug"))
        if not calls:
            self.stdout.write(
                pick(
                    language,
                    "Ingen utlysninger er lastet inn. Kjør «tilskudd calls load».",
                    "No calls are loaded. Run 'tilskudd calls load'.",
                )
            )
            return
        header = (
            pick(language, "ID", "ID"),
            pick(language, "TITTEL", "TITLE"),
            pick(language, "FORVALTER", "GRANTOR"),
            pick(language, "FRIST (NORSK TID)", "DEADLINE (OSLO)"),
            pick(language, "RAMME", "FRAME"),
            pick(language, "STATUS", "STATUS"),
        )
        rows = []
        for call in calls:
            definition = call.definition
            rows.append(
                (
                    call.slug,
                    _truncate(definition.title.get(language), 48),
                    _truncate(definition.grantor.name.get(language), 24),
                    when(definition.deadline.instant, language),
                    money(definition.frame.amount, language, definition.frame.up_to),
                    pick(language, "åpen", "open")
                    if is_open(definition.deadline.instant, now)
                    else pick(language, "stengt", "closed"),
                )
            )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())

    # --- show -------------------------------------------------------------------

    def show_call(self, slug: str, as_json: bool, language: str) -> None:
        call = Call.objects.select_related("current_version").filter(slug=slug).first()
        if call is None or call.current_version is None:
            self.stderr.write(
                pick(
                    language,
                    f"Det finnes ingen utlysning med id «{slug}». Se «tilskudd calls list».",
                    f"There is no call with the id '{slug}'. See 'tilskudd calls list'.",
                )
            )
            sys.exit(EXIT_INPUT)
        version = call.current_version
        if as_json:
            self.stdout.write(json.dumps(version.definition, indent=2, ensure_ascii=False))
            return
        for label, value in self.facts(version.parsed(), version.number, language):
            if not value:
                continue
            lines = value.split("\n")
            self.stdout.write(f"{label + ':':<22} {lines[0]}")
            for line in lines[1:]:
                self.stdout.write(f"{'':<22} {line}")

    def facts(self, d: CallDefinition, version: int, language: str) -> list[tuple[str, str]]:
        p = lambda nb, en: pick(language, nb, en)  # noqa: E731
        now = timezone.now()
        grantor = f"{text(d.grantor.name, language)} ({d.grantor.org_number})"
        if d.local_grantors:
            count = len(d.local_grantors.municipalities)
            grantor += p(
                f"\n+ {count} kommune(r) med egne lokale utlysninger ({d.local_grantors.share_percent} %)",
                f"\n+ {count} municipalit(y/ies) with local calls ({d.local_grantors.share_percent} %)",
            )
        status = p("åpen", "open") if is_open(d.deadline.instant, now) else p("stengt", "closed")
        deadline = f"{when(d.deadline.instant, language)} {p('(norsk tid)', '(Oslo time)')} – {status}"
        if not d.deadline.time_given:
            deadline += p(
                "\n(utlysningen oppgir bare dato; fristen er satt til dagens slutt)",
                "\n(the call gives a date only; the deadline is the end of that day)",
            )
        types = ", ".join(
            APPLICANT_TYPE_NAMES.get(t.value, (t.value, t.value))[1 if language.startswith("en") else 0]
            for t in d.eligibility.applicant_types.allowed
        )
        areas = ""
        if d.areas:
            select = (
                p("velg ett", "choose one")
                if d.areas.select.value == "exactly_one"
                else p("velg ett eller flere", "choose one or more")
            )
            areas = f"{text(d.areas.label, language)} ({select}):\n" + "\n".join(
                f"  {area.id} – {text(area.title, language)}" for area in d.areas.items
            )
        required = sum(1 for f in d.fields if f.required)
        conditional = sum(1 for f in d.fields if f.required_when)
        fields = p(
            f"{len(d.fields)} ({required} påkrevd, {conditional} påkrevd på vilkår)",
            f"{len(d.fields)} ({required} required, {conditional} required on a condition)",
        )
        checks = "\n".join(describe_check(check, language) for check in d.checks)
        ineligible = [text(c.label, language) for c in d.budget.categories if not c.eligible]
        budget = p(f"{len(d.budget.categories)} kategorier", f"{len(d.budget.categories)} categories")
        if ineligible:
            budget += p("; dekkes ikke: ", "; not covered: ") + ", ".join(ineligible)
        criteria = "\n".join(
            f"{c.id} – {text(c.label, language)} ({p('vekt', 'weight')} {c.weight:g}, {c.rule})"
            for c in d.assessment.criteria
        )
        signing = ", ".join(text(role, language) for role in d.signing.roles) + f" ({d.signing.rule})"
        rules = rule_ids(d.model_dump(mode="json", by_alias=True))
        return [
            ("ID", f"{d.id} ({p('versjon', 'version')} {version})"),
            (p("Tittel", "Title"), text(d.title, language)),
            (p("Forvalter", "Grantor"), grantor),
            (p("Ramme", "Frame"), money(d.frame.amount, language, d.frame.up_to)),
            (p("Søknadsfrist", "Deadline"), deadline),
            (p("Hvem kan søke", "Who may apply"), types),
            (p("Områder", "Areas"), areas),
            (p("Skjemafelt", "Form fields"), fields),
            (p("Kontroller", "Checks"), checks),
            (p("Budsjett", "Budget"), budget),
            (p("Vurderingskriterier", "Criteria"), criteria),
            (p("Signering", "Signing"), signing),
            (
                p("Flerårig", "Multi-year"),
                (
                    p("ja", "yes")
                    + (
                        f", {p('høyst', 'at most')} {d.multi_year.max_years} {p('år', 'years')}"
                        if d.multi_year.max_years
                        else ""
                    )
                )
                if d.multi_year.allowed
                else p("nei", "no"),
            ),
            (p("Regler i filen", "Rules in the file"), f"{len(rules)}: " + ", ".join(rules)),
        ]

    # --- validate -----------------------------------------------------------------

    def validate(self, files: list[str], language: str) -> None:
        """Validate files with the schema alone; the database is not touched."""
        invalid = 0
        seen: dict[str, str] = {}
        for name in files:
            try:
                definition = load_call_file(Path(name))
            except CallFileError as error:
                invalid += 1
                self.stdout.write(str(error))
                continue
            if definition.id in seen:
                invalid += 1
                self.stdout.write(
                    pick(
                        language,
                        f"{name}: id-en «{definition.id}» er allerede brukt av {seen[definition.id]}",
                        f"{name}: the id '{definition.id}' is already used by {seen[definition.id]}",
                    )
                )
                continue
            seen[definition.id] = name
            self.stdout.write(
                f"ok: {name} ({definition.id}, {pick(language, 'versjon', 'version')} {definition.version})"
            )
        if invalid:
            self.stdout.write(
                pick(
                    language,
                    f"{invalid} av {len(files)} fil(er) er ikke gyldige.",
                    f"{invalid} of {len(files)} file(s) are not valid.",
                )
            )
            sys.exit(EXIT_INVALID)
