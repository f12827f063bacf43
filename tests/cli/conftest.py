"""Fixtures for the command line: the minimal call in the test database, and application files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.builders import load_calls
from tests.conftest import FIXTURES, minimal_application_data

MINIMAL = FIXTURES / "minimal_call.yaml"
BEFORE = "2030-02-01T10:00"  # Oslo time, well before the minimal call's deadline


def application_data(**changes) -> dict:
    """An application to the minimal call that breaks no rule (as in tests/rules/test_engine.py)."""
    data = minimal_application_data()
    data.update(changes)
    return data


def call_variant(tmp_path: Path, name: str = "variant", **changes) -> Path:
    """A copy of the minimal call file with some top-level keys changed, written to tmp_path."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def loaded(db):
    """The minimal call loaded into the test database."""
    load_calls([MINIMAL])


@pytest.fixture
def write_json(tmp_path):
    def write(data, name: str = "application.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run(capsys, monkeypatch):
    """Run ``tilskudd ARGS…``; returns (exit code, stdout, stderr)."""
    from tilskudd.cli import main

    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
    monkeypatch.setenv("DEBUG", "1")
    # A management command run from the command line closes every database connection when it
    # ends (BaseCommand.run_from_argv). In a test that would close the test transaction's
    # connection; on PostgreSQL the next query then fails with "the connection is closed".
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run_(*args: str) -> tuple[int, str, str]:
        code = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run_
