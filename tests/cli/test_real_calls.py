"""The command line and the API on the five real calls (calls/*.yaml) and their examples (examples/)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import yaml

from tests.conftest import HttpsClient
from tests.conftest import CALLS_DIR, ROOT

CALL_FILES = sorted(CALLS_DIR.glob("*.yaml"))
EXAMPLES = ROOT / "examples"


def test_every_call_file_validates(run):
    code, out, _ = run("calls", "validate", *CALL_FILES)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["ok:"] * len(CALL_FILES)


def test_every_call_loads_lists_and_shows(db, run):
    ids = [path.stem for path in CALL_FILES]
    code, out, _ = run("calls", "load", *CALL_FILES)
    assert code == 0
    assert sorted(line.split(":")[0] for line in out.splitlines()) == sorted(ids)
    code, out, _ = run("calls", "list")
    assert code == 0
    assert sorted(line.split()[0] for line in out.splitlines()[1:]) == sorted(ids)
    for call_id in ids:
        code, out, _ = run("calls", "show", call_id)
        assert code == 0
        assert out.startswith(f"ID:                    {call_id} (versjon 1)")


@pytest.mark.parametrize("manifest_path", sorted(EXAMPLES.glob("*/examples.yaml")), ids=lambda p: p.parent.name)
def test_cli_and_api_give_each_example_its_findings(db, run, manifest_path):
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    call_id = manifest["call"]
    assert run("calls", "load", CALLS_DIR / f"{call_id}.yaml")[0] == 0
    client = HttpsClient()
    for example in manifest["examples"]:
        path = manifest_path.parent / example["file"]
        at = str(example.get("at", manifest["at"]))
        # Compared as sets, as tests/test_examples.py does: a rule may give two messages for one field.
        expected = {(f["rule"], f.get("severity", "error"), f.get("field", "")) for f in example.get("findings", [])}
        code, out, _ = run("check", "--call", call_id, path, "--at", at, "--json")
        result = json.loads(out)
        assert {(f["rule_id"], f["severity"], f["field"]) for f in result["findings"]} == expected, path.name
        assert code == (1 if any(severity == "error" for _, severity, _ in expected) else 0), path.name
        response = client.post(
            f"/api/v1/calls/{call_id}/check?{urlencode({'at': at})}", path.read_bytes(), content_type="application/json"
        )
        assert response.status_code == 200, path.name
        assert response.json() == result, path.name
