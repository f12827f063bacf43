"""The project's own list of rule ids with their text (``rules.yaml``).

Each call's rules (``C0-R01`` …) with the call file that encodes them, and the
rules every call shares (``X-R01`` …) with where the project enforces them.
``scripts/rules_table.py`` writes ``docs/rules.md`` from it; the tests check that
every rule of a call is named in its call file, and, where the specification
(``../shared/spec/calls.md``) is present beside the repository, that this list
says what it says.

Pure Python: read once, cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ListedRule:
    """One rule: ``call`` is ``C0`` … or ``X`` for a rule of every call."""

    id: str
    text: str
    call: str
    #: The call file (in ``calls/``) that encodes a call's rule; ``""`` for an X rule.
    call_file: str = ""
    #: For an X rule: where the project encodes it, and what enforces the rest later.
    encoded: str = ""
    later: str = ""


@cache
def rule_list() -> tuple[ListedRule, ...]:
    """Every rule, in the order of the list (C0 … C4, then X)."""
    with (HERE / "rules.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    listed = [
        ListedRule(id=rule["id"], text=rule["text"], call=call["code"], call_file=call["file"])
        for call in data["calls"]
        for rule in call["rules"]
    ]
    listed += [
        ListedRule(id=rule["id"], text=rule["text"], call="X", encoded=rule["encoded"], later=rule["later"] or "")
        for rule in data["general"]
    ]
    return tuple(listed)


def call_files() -> dict[str, str]:
    """Call code → the call file that encodes its rules (``{"C0": "kommunale-….yaml", …}``)."""
    return {rule.call: rule.call_file for rule in rule_list() if rule.call != "X"}
