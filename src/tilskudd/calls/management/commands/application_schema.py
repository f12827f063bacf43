"""``tilskudd schema application``: the JSON Schema of the application exchange format."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from tilskudd.rules.application import application_json_schema


def schema_text() -> str:
    """The schema as committed in docs/application.schema.json (stable order, final newline)."""
    return json.dumps(application_json_schema(), indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Skriv ut JSON Schema for søknadsformatet. / Print the JSON Schema of the application format."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Called through the tilskudd command line, show its own words in the usage line.
        shown = "schema application" if prog_name == "tilskudd" else subcommand
        return super().create_parser(prog_name, shown, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args, output=None, **options):
        text = schema_text()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"skrev / wrote {output}")
        else:
            self.stdout.write(text, ending="")
