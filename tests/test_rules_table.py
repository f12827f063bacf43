"""The project's list of rules (src/tilskudd/rules/reference/rules.yaml) and docs/rules.md.

docs/rules.md has a row for every rule id of the list, every call rule is encoded in its call
file and every rule id a call file names is listed. Where the specification the calls were
written from is beside the repository (../shared/spec/calls.md), the list says what it says;
a clone of the project alone skips that one comparison and runs everything else.
"""

import re
import subprocess
import sys

import yaml

from tests.conftest import CALLS_DIR, ROOT, spec_file
from tilskudd.rules.reference.rule_list import call_files, rule_list

RULE_ID = re.compile(r"\b(?:C\d+|X)-R\d{2}\b")
RULE_LINE = re.compile(r"^- (?P<id>(?:C\d+|X)-R\d{2}) (?P<text>.+)$")


def listed_ids() -> list[str]:
    return [rule.id for rule in rule_list()]


def spec_rules() -> list[tuple[str, str]]:
    """(id, text) of every rule of calls.md: the bullet and its indented lines, joined by spaces."""
    rules: list[list[str]] = []
    current: list[str] | None = None
    for line in spec_file("calls.md").read_text(encoding="utf-8").splitlines():
        match = RULE_LINE.match(line)
        if match:
            current = [match["id"], match["text"].strip()]
            rules.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            current[1] += " " + line.strip()
        else:
            current = None
    return [(rule_id, text) for rule_id, text in rules]


def test_the_project_lists_every_rule_once_with_its_text():
    ids = listed_ids()
    assert "C0-R01" in ids and "X-R07" in ids
    assert len(ids) == len(set(ids))
    for rule in rule_list():
        assert rule.id.startswith(rule.call + "-R"), rule.id
        assert rule.text.strip() and "\n" not in rule.text, rule.id
    general = [rule for rule in rule_list() if rule.call == "X"]
    assert general and all(rule.encoded for rule in general)


def test_the_list_says_what_the_spec_says():
    assert [(rule.id, rule.text) for rule in rule_list()] == spec_rules()


def test_every_rule_id_has_a_row_in_docs_rules_md():
    table = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ((?:C\d+|X)-R\d{2}) \|", table, re.MULTILINE)
    assert rows == listed_ids()


def test_docs_rules_md_is_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rules_table.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _call_code(data: dict) -> str:
    """C0 … C4 from the seed file the call encodes (seeds/000_… is C0)."""
    match = re.search(r"seeds/(\d{3})_", data.get("source") or "")
    assert match, f"{data['id']}: 'source' must name its seed file"
    return f"C{int(match.group(1))}"


def _calls() -> dict[str, tuple[str, dict]]:
    """Call code → (file name, data) of every call file."""
    calls = {}
    for path in sorted(CALLS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        calls[_call_code(data)] = (path.name, data)
    return calls


def _named(data: dict) -> set[str]:
    text = yaml.safe_dump(data, allow_unicode=True)
    return set(re.findall(r"\b(?:rule: |- )((?:C\d+|X)-R\d{2})\b", text))


def test_the_list_names_each_call_file_by_its_seed():
    assert call_files() == {code: name for code, (name, _) in _calls().items()}


def test_every_call_rule_is_encoded_in_its_call_file():
    for code, (name, data) in _calls().items():
        named = _named(data)
        missing = [rule.id for rule in rule_list() if rule.call == code and rule.id not in named]
        assert missing == [], f"{name} does not encode {missing}"


def test_every_rule_id_a_call_file_names_is_listed():
    ids = set(listed_ids())
    for name, _ in _calls().values():
        named = set(RULE_ID.findall((CALLS_DIR / name).read_text(encoding="utf-8")))
        assert sorted(named - ids) == [], f"{name} names rules the list lacks"
