"""The ``tilskudd`` entry point: dispatch, usage, the application schema."""

from __future__ import annotations

import json

import django

from tests.conftest import ROOT
from tilskudd.rules.application import application_json_schema

SCHEMA_FILE = ROOT / "docs" / "application.schema.json"


def test_without_arguments_it_shows_usage_and_exits_2(run):
    code, out, _ = run()
    assert code == 2
    assert "tilskudd calls list" in out and "tilskudd check --call ID" in out


def test_help_exits_0(run):
    code, out, _ = run("--help")
    assert code == 0
    assert "Bruk / usage:" in out


def test_other_words_pass_through_to_django_admin(run):
    code, out, _ = run("version")
    assert code == 0
    assert out.strip() == django.get_version()


def test_an_unknown_command_exits_1(run):
    code, _, err = run("no-such-command")
    assert code == 1
    assert "Unknown command: 'no-such-command'" in err


def test_schema_application_prints_the_json_schema(run):
    code, out, _ = run("schema", "application")
    assert code == 0
    assert json.loads(out) == application_json_schema()


def test_schema_can_be_written_to_a_file(run, tmp_path):
    target = tmp_path / "schema.json"
    code, _, _ = run("schema", "application", "--output", target)
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == application_json_schema()


def test_an_unknown_schema_exits_2(run):
    code, _, err = run("schema", "call")
    assert code == 2
    assert "Kjente skjema / known schemas: application" in err


def test_the_committed_schema_is_the_generated_one(run):
    """docs/application.schema.json never drifts: regenerate with
    `tilskudd schema application -o docs/application.schema.json`."""
    code, out, _ = run("schema", "application")
    assert code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == out
