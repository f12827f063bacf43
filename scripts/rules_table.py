#!/usr/bin/env python
"""Write docs/rules.md: one row per rule id of the project's list (src/tilskudd/rules/reference/rules.yaml).

For each rule the table says where the call files encode it (file and path
to the element), whether the rule engine checks it on an application, which
tests and examples show it, and for rules that later steps of the lifecycle
enforce, which issue does. Run it after changing a call file or a test:

    .venv/bin/python scripts/rules_table.py          # rewrite docs/rules.md
    .venv/bin/python scripts/rules_table.py --check  # exit 1 if docs/rules.md is stale

tests/test_rules_table.py runs the check, so the table cannot drift.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tilskudd.rules import load_call_file  # noqa: E402
from tilskudd.rules.engine import rule_ids_checked  # noqa: E402
from tilskudd.rules.reference.rule_list import rule_list  # noqa: E402

CALLS_DIR = ROOT / "calls"
TESTS_DIR = ROOT / "tests"
EXAMPLES_DIR = ROOT / "examples"
OUTPUT = ROOT / "docs" / "rules.md"

RULE_ID = re.compile(r"\b(?:C\d+|X)-R\d{2}\b")

#: The issue that enforces a rule encoded in this part of a call file, when the engine does not.
LATER_STEPS = {
    "signing": "#3 applicant portal (signing)",
    "eligibility": "#4 casework (screening)",
    "areas": "#4 casework (assessment, allocation)",
    "target_groups": "#4 casework (assessment)",
    "assessment": "#4 casework (assessment)",
    "frame": "#4 casework (allocation within the frame)",
    "local_grantors": "#4 casework (grantor scope, 60/40 split)",
    "grant_conditions": "#4 casework (grant letter conditions)",
    "complaints": "#4 casework (letters with complaint rights)",
    "routing": "#4 casework (routing to office and contact)",
    "transition": "#4 casework (screening)",
    "legal_basis": "#4 casework (letters)",
    "payment": "#11 after the decision (acceptance, payment in terms)",
    "reporting": "#12 after the decision (reports and accounts)",
    "carry_over": "#12 after the decision (carry-over and change requests)",
    "repayment": "#12 after the decision (repayment claims)",
    "multi_year": "#4 casework (multi-year commitments)",
    "budget": "#4 casework (assessment of the budget)",
    "notes": "#4 casework (screening and assessment, by people)",
    "readings": "—",
}

def listed_rules() -> list[tuple[str, str]]:
    """(rule id, its first sentence) for every rule of the project's list."""
    return [(rule.id, _first_sentence(rule.text)) for rule in rule_list()]


def _first_sentence(text: str) -> str:
    text = text.replace("**Reading:**", "Reading:").replace("|", "/")
    cut = re.search(r"(?<=[a-z0-9)])\. ", text)
    sentence = text[: cut.start() + 1] if cut else text
    return sentence if len(sentence) <= 140 else sentence[:137].rstrip() + "…"


def encodings() -> dict[str, list[tuple[str, str]]]:
    """rule id → [(call file, dotted path of the element that names it)]."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted(CALLS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule_id, where in _walk(data, ""):
            found[rule_id].append((path.name, where))
    return found


def _walk(node, where: str):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "rule" and isinstance(value, str):
                yield value, where
            elif key == "rules" and isinstance(value, list):
                for item in value:
                    yield item, where
            else:
                yield from _walk(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = item.get("id") or item.get("kind") if isinstance(item, dict) else None
            yield from _walk(item, f"{where}[{name}]" if isinstance(name, str) else f"{where}[{index}]")


def engine_checked() -> dict[str, set[str]]:
    checked: dict[str, set[str]] = defaultdict(set)
    for path in sorted(CALLS_DIR.glob("*.yaml")):
        for rule_id in rule_ids_checked(load_call_file(path)):
            checked[rule_id].add(path.name)
    return checked


def tests_naming() -> dict[str, set[str]]:
    named: dict[str, set[str]] = defaultdict(set)
    for path in sorted(TESTS_DIR.rglob("test_*.py")):
        for rule_id in set(RULE_ID.findall(path.read_text(encoding="utf-8"))):
            named[rule_id].add(str(path.relative_to(ROOT)))
    for manifest in sorted(EXAMPLES_DIR.glob("*/examples.yaml")):
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        for example in data.get("examples", []):
            for finding in example.get("findings", []):
                named[finding["rule"]].add(f"examples/{manifest.parent.name}")
    return named


def later_step(paths: list[tuple[str, str]]) -> str:
    steps = []
    for _, where in paths:
        top = where.split(".")[0].split("[")[0]
        step = LATER_STEPS.get(top, "")
        if step and step != "—" and step not in steps:
            steps.append(step)
    return "; ".join(steps)


def render() -> str:
    encoded = encodings()
    checked = engine_checked()
    named = tests_naming()
    lines = [
        "# Rules: where each is encoded and what shows it enforced",
        "",
        "Generated by `scripts/rules_table.py` from the project's list of rules",
        "(`src/tilskudd/rules/reference/rules.yaml`, each id with its text as in the specification",
        "`../shared/spec/calls.md`), the call files in `calls/`, the tests and the examples;",
        "`tests/test_rules_table.py` fails when this file is stale or a rule id lacks its row. Do not",
        "edit by hand: change the list, the call file or the test, then run",
        "`.venv/bin/python scripts/rules_table.py`.",
        "",
        "Columns: **encoded in** — call file and the path to the element that names the rule;",
        "**engine** — whether the rule engine checks it on an application (✓) ; **shown by** — tests",
        "and example folders that name the rule; **enforced later by** — the issue that enforces the",
        "rest of the rule in a later step of the lifecycle.",
        "",
        "| rule | what it says | encoded in | engine | shown by | enforced later by |",
        "|---|---|---|---|---|---|",
    ]
    general = {rule.id: rule for rule in rule_list() if rule.call == "X"}
    for rule_id, summary in listed_rules():
        if rule_id in general:
            encoded_text, later = general[rule_id].encoded, general[rule_id].later
        else:
            paths = encoded.get(rule_id, [])
            encoded_text = "<br>".join(f"`{file}` {where}" for file, where in paths) or "**not encoded**"
            later = later_step(paths)
        engine = "✓" if rule_id in checked else ""
        shown = "<br>".join(f"`{name}`" for name in sorted(named.get(rule_id, ()))) or "—"
        lines.append(f"| {rule_id} | {summary} | {encoded_text} | {engine} | {shown} | {later} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print("docs/rules.md is stale: run .venv/bin/python scripts/rules_table.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
