"""Paths of the exchange format (``answers.participants``, ``budget.lines[2].amount``): the names of
the inputs, their HTML ids, and reading and writing a value at a path of a plain dict."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Row indexes (``budget.lines[3]``) up to 6 digits; a longer one names no row and is ignored.
MAX_INDEX_DIGITS = 6

_PART = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<key>[^\]]+)\])?$")


def html_id(path: str) -> str:
    """``budget.lines[2].amount`` → ``f-budget-lines-2-amount``."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def parent_path(path: str) -> str | None:
    """``budget.lines[2]`` → ``budget.lines``; ``budget.lines`` → ``budget``; ``budget`` → None."""
    if path.endswith("]"):
        return path[: path.rfind("[")] or None
    if "." in path:
        return path[: path.rfind(".")]
    return None


def is_index(key: str) -> bool:
    return re.fullmatch(r"[0-9]{1,%d}" % MAX_INDEX_DIGITS, key) is not None


def _split(path: str) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = []
    for part in path.split("."):
        match = _PART.match(part)
        if not match:
            parts.append((part, None))
        else:
            parts.append((match["name"], match["key"]))
    return parts


def resolve(document: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in a document (``answers.x``, ``budget.lines[0].amount``, ``attachments[kind]``)."""
    current: Any = document
    for name, key in _split(path):
        if name == "attachments" and key is not None and current is document:
            return [a for a in document.get("attachments") or [] if isinstance(a, Mapping) and a.get("kind") == key]
        if not isinstance(current, Mapping):
            return None
        current = current.get(name)
        if key is not None:
            if not isinstance(current, list) or not is_index(key) or int(key) >= len(current):
                return None
            current = current[int(key)]
        if current is None:
            return None
    return current


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """Set (or with ``None`` remove) the value at a dotted path, making dicts on the way."""
    parts = path.split(".")
    current = document
    for part in parts[:-1]:
        nxt = current.get(part)
        if not isinstance(nxt, dict):
            if value is None:
                return
            nxt = {}
            current[part] = nxt
        current = nxt
    if value is None:
        current.pop(parts[-1], None)
    else:
        current[parts[-1]] = value
