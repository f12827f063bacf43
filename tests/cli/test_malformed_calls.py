"""A malformed call file is refused with the file, a line, a path and what was expected; exit code 2, no traceback.

Issue #10 point 10: ``tilskudd calls validate`` on a file with ``2019-13-45`` printed a Python traceback.
The property test mutates the five real call files in the ways a person gets a file wrong.
"""

from __future__ import annotations

import re
import subprocess
import sys
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CALLS_DIR, ROOT
from tilskudd.rules.schema import CallDefinition

CALL_FILES = sorted(CALLS_DIR.glob("*.yaml"))
DATA = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in CALL_FILES}
REQUIRED = sorted(field.alias or name for name, field in CallDefinition.model_fields.items() if field.is_required())
IMPOSSIBLE_DATE = "2019-13-45"
#: "line 409, reporting.duties.0.due: …": the line and the path to the field, then what is wrong.
LINE_AND_PATH = re.compile(r"line \d+, [\w.\-]+: \S")


def _nodes(node: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, value) in the data, the root excluded."""
    found = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        found.append(((*path, key), value))
        found += _nodes(value, (*path, key))
    return found


def _set(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _other_type(value: Any) -> Any:
    if isinstance(value, dict):
        return 12345
    if isinstance(value, list):
        return "en tekst"
    if isinstance(value, bool):
        return "kanskje"
    if isinstance(value, int | float):
        return "mange"
    return [1, 2]


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def malformed(draw) -> tuple[str, str]:
    """(a mutated call file's text, what was done to it)."""
    name = draw(st.sampled_from(sorted(DATA)))
    data = yaml.safe_load(_dump(DATA[name]))  # a fresh copy
    kind = draw(st.sampled_from(["delete", "type", "date", "yaml", "unknown key", "rule id"]))
    if kind == "delete":
        key = draw(st.sampled_from(REQUIRED))
        del data[key]
        return _dump(data), f"{name}: deleted {key}"
    if kind == "type":
        path, value = draw(st.sampled_from([(p, v) for p, v in _nodes(data) if isinstance(v, dict | list | int)]))
        _set(data, path, _other_type(value))
        return _dump(data), f"{name}: {path} changed type"
    if kind == "date":
        path, _ = draw(st.sampled_from([(p, v) for p, v in _nodes(data) if isinstance(v, str | int) or p[-1] == "at"]))
        _set(data, path, "__IMPOSSIBLE__")
        text = _dump(data).replace("__IMPOSSIBLE__", IMPOSSIBLE_DATE)
        return text, f"{name}: {path} = {IMPOSSIBLE_DATE}"
    if kind == "yaml":
        lines = _dump(data).splitlines()
        at = draw(st.integers(min_value=1, max_value=len(lines)))
        broken = draw(st.sampled_from(["  bad: [unclosed", "title: {nb: 'x'", "\tid: tab", "- : :"]))
        return "\n".join([*lines[:at], broken, *lines[at:]]) + "\n", f"{name}: '{broken}' after line {at}"
    if kind == "unknown key":
        path, _ = draw(st.sampled_from([(p, v) for p, v in _nodes(data) if isinstance(v, dict)] + [((), data)]))
        target = data
        for key in path:
            target = target[key]
        target["ukjent_nokkel"] = "x"
        return _dump(data), f"{name}: unknown key under {path}"
    paths = [p for p, v in _nodes(data) if p[-1] == "rule" and isinstance(v, str)]
    path = draw(st.sampled_from(paths))
    _set(data, path, "C9-R99")
    return _dump(data), f"{name}: {path} = C9-R99"


_numbers = count()


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=malformed())
def test_every_malformed_call_file_is_refused_with_file_line_and_path(run, tmp_path, case):
    text, what = case
    path = tmp_path / f"call-{next(_numbers)}.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("calls", "validate", path)
    assert code == 2, what
    assert "Traceback" not in out + err, what
    assert f"{path}: the call definition is not valid" in out, what
    assert LINE_AND_PATH.search(out), (what, out)


def _real_call(tmp_path: Path, change) -> Path:
    source = CALL_FILES[0]
    path = tmp_path / source.name
    path.write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_an_impossible_date_names_the_line_and_the_field_in_the_real_command(tmp_path):
    # The case, through the installed console script: no traceback, exit code 2.
    text = CALL_FILES[0].read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if re.search(r"\bat: \d{4}-\d\d-\d\d", row))
    path = _real_call(tmp_path, lambda t: re.sub(r"\bat: \d{4}-\d\d-\d\d", f"at: {IMPOSSIBLE_DATE}", t, count=1))
    done = subprocess.run(
        [sys.executable, "-m", "tilskudd.cli", "calls", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert f"line {line}, deadline.at: '{IMPOSSIBLE_DATE}' is not a real date or time" in done.stdout


def test_a_rule_id_that_does_not_exist_is_refused(run, tmp_path):
    path = _real_call(tmp_path, lambda t: re.sub(r"rule: C\d-R\d\d", "rule: C0-R99", t, count=1))
    code, out, _ = run("calls", "validate", path)
    assert code == 2
    assert re.search(r"line \d+, [\w.]+\.rule: the rule id 'C0-R99' is not in the project's rule list", out)


@pytest.mark.parametrize("text", ["", "- a\n- list\n", "bare word\n"])
def test_a_file_without_a_mapping_at_the_top_is_refused_at_line_1(run, tmp_path, text):
    path = tmp_path / "top.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("calls", "validate", path)
    assert code == 2
    assert "Traceback" not in out + err
    assert f"{path}: the call definition is not valid" in out
    assert "line 1, (top): expected a mapping of keys (id, title, frame, …) at the top" in out


def test_load_refuses_a_malformed_file_with_exit_code_2_and_loads_nothing(db, run, tmp_path):
    from tilskudd.calls.models import Call

    path = _real_call(tmp_path, lambda t: t.replace("\nframe:", "\nfrmae:", 1))
    code, out, err = run("calls", "load", path)
    assert code == 2
    assert "Traceback" not in out + err
    assert "Nothing was loaded" in err
    assert re.search(r"line \d+, frmae: unknown key", err)
    assert not Call.objects.exists()
