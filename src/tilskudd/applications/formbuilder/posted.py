"""Reading what the browser posted: the values of an input, the rows of a list, and where a read
value goes in the document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tilskudd.applications.formbuilder.paths import MAX_INDEX_DIGITS, set_path
from tilskudd.rules.schema import CallDefinition


class Posted:
    """What the browser sent: a Django QueryDict or a plain dict of str or list of str."""

    def __init__(self, data: Any):
        self.data = data

    def getlist(self, name: str) -> list[str]:
        if hasattr(self.data, "getlist"):
            return [str(v) for v in self.data.getlist(name)]
        value = self.data.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]

    def get(self, name: str) -> str | None:
        values = self.getlist(name)
        return values[-1] if values else None

    def keys(self) -> list[str]:
        return list(self.data.keys())

    def indices(self, prefix: str) -> list[int]:
        pattern = re.compile(re.escape(prefix) + r"\[([0-9]{1,%d})\]\." % MAX_INDEX_DIGITS)
        found = {int(m.group(1)) for key in self.keys() if (m := pattern.match(key))}
        return sorted(found)


@dataclass
class Reading:
    """One post being read into ``document`` (a copy of the application's): what every kind's ``parse`` gets."""

    call: CallDefinition
    posted: Posted
    document: dict[str, Any]
    remove: str | None  # the row whose remove button was pressed: it is left out

    def rows(self, path: str, keys: list[str]) -> list[tuple[int, dict[str, str]]]:
        """The posted rows of the list at ``path`` that are not all empty: (index, {key: text})."""
        rows = []
        for index in self.posted.indices(path):
            if self.remove == f"{path}[{index}]":
                continue
            values = {key: (self.posted.get(f"{path}[{index}].{key}") or "") for key in keys}
            if all(not v.strip() for v in values.values()):
                continue
            rows.append((index, values))
        return rows

    def budget(self) -> dict[str, Any]:
        """The document's ``budget``, a dict of its own (made when missing)."""
        budget = self.document.get("budget")
        if not isinstance(budget, dict):
            budget = {}
        budget = dict(budget)
        self.document["budget"] = budget
        return budget

    def put(self, path: str, value: Any) -> None:
        """Set (or with ``None`` remove) the value at ``path``; a top-level ``grantor`` keeps a None."""
        if path == "grantor":
            self.document["grantor"] = value
        elif path.startswith("budget."):
            set_path(self.budget(), path.split(".", 1)[1], value)
        elif path.startswith("answers."):
            answers = dict(self.document.get("answers") or {})
            set_path(answers, path.split(".", 1)[1], value)
            self.document["answers"] = answers
        else:
            set_path(self.document, path, value)
