"""Every example application in examples/ passes or fails as its manifest says.

examples/<call-id>/examples.yaml lists the files with the exact findings each
must produce (rule, severity, field). Every call, and every priority area or
sub-goal of a call, has at least one example that passes and one that breaks a
named rule.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from tilskudd.rules import Application, evaluate, load_call_file
from tests.conftest import CALLS_DIR, ROOT

EXAMPLES_DIR = ROOT / "examples"


def _manifests() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("*/examples.yaml"))


def _cases():
    for manifest_path in _manifests():
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
        for example in manifest["examples"]:
            yield pytest.param(manifest_path.parent, manifest, example, id=f"{manifest['call']}/{example['file']}")


def _at(value) -> dt.datetime:
    at = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    assert at.tzinfo is not None, "an example's 'at' needs a time zone"
    return at


def _call(call_id: str):
    return load_call_file(CALLS_DIR / f"{call_id}.yaml")


@pytest.mark.parametrize(("folder", "manifest", "example"), list(_cases()))
def test_example_gives_exactly_its_findings(folder, manifest, example):
    call = _call(manifest["call"])
    application = Application.model_validate_json((folder / example["file"]).read_text(encoding="utf-8"))
    assert application.call == call.id
    at = _at(example.get("at", manifest["at"]))
    findings = evaluate(call, application, at)
    found = {(f.rule_id, f.severity.value, f.field) for f in findings}
    # One problem, one message: no rule speaks twice about the same field.
    assert len(findings) == len({(f.rule_id, f.field) for f in findings}), [f.message_nb for f in findings]
    expected = {(f["rule"], f.get("severity", "error"), f.get("field", "")) for f in example.get("findings", [])}
    assert found == expected
    if "breaks" in example:
        assert example["breaks"] in {rule for rule, _, _ in found}


def test_every_call_has_examples():
    calls = sorted(path.stem for path in CALLS_DIR.glob("*.yaml"))
    with_examples = sorted(path.parent.name for path in _manifests())
    assert calls == with_examples


@pytest.mark.parametrize("manifest_path", _manifests(), ids=lambda p: p.parent.name)
def test_every_area_has_a_passing_and_a_failing_example(manifest_path):
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    call = _call(manifest["call"])
    area_ids = [area.id for area in call.areas.items] if call.areas else [None]
    for area_id in area_ids:
        in_area = [
            example
            for example in manifest["examples"]
            if area_id is None or area_id in json.loads((manifest_path.parent / example["file"]).read_text())["areas"]
        ]
        passing = [e for e in in_area if not any(f.get("severity", "error") == "error" for f in e.get("findings", []))]
        failing = [e for e in in_area if "breaks" in e]
        assert passing, f"{call.id}: no passing example for area {area_id}"
        assert failing, f"{call.id}: no failing example for area {area_id}"
