"""The gates (scripts/gates) stand where CI runs them: before the tests, with what they read committed.

Running them is scripts/gates' job (about 10 s, once per CI run), not the suite's.
"""

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gates_run_before_the_tests():
    gates = ROOT / "scripts" / "gates"
    assert os.access(gates, os.X_OK)
    script = (ROOT / "scripts" / "test").read_text()
    assert script.index("./scripts/gates") < script.index("pytest")


def test_the_mypy_baseline_is_a_count():
    assert int((ROOT / "mypy-baseline.txt").read_text().strip()) >= 0


def test_every_formatted_path_exists():
    lines = (ROOT / "scripts" / "formatted-paths.txt").read_text().splitlines()
    paths = [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    assert paths
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_rules_may_not_import_django():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    rules = [c for c in config["contracts"] if c.get("source_modules") == ["tilskudd.rules"]]
    assert rules and "django" in rules[0]["forbidden_modules"]
